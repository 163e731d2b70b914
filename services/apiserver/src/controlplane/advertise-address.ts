/**
 * The address other members of the cluster reach this apiserver at, written into the
 * `kubernetes` endpoints (kube-apiserver's --advertise-address). Without the flag it is the
 * bind address; a wildcard or IPv6 bind (the Service range is IPv4) falls back, as kube
 * does, to an address of the host: the first non-loopback IPv4, else 127.0.0.1.
 */
import { isIPv4 } from 'node:net';
import { type NetworkInterfaceInfo, networkInterfaces } from 'node:os';

export function advertiseAddressFor(
  config: { advertiseAddress?: string; bindAddress: string },
  interfaces: NodeJS.Dict<NetworkInterfaceInfo[]> = networkInterfaces(),
): string {
  if (config.advertiseAddress) return config.advertiseAddress;
  if (isIPv4(config.bindAddress) && config.bindAddress !== '0.0.0.0') return config.bindAddress;
  for (const addresses of Object.values(interfaces)) {
    const found = addresses?.find((a) => a.family === 'IPv4' && !a.internal);
    if (found) return found.address;
  }
  return '127.0.0.1';
}
