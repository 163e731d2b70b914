/** The CNI result of an Add (SPEC.md "Success"), in the bridge plugin's layout. */
import type { Result } from '@tkube/api/cni';
import type { AttachedInterface } from './network-host.js';

export interface AttachmentFacts {
  cniVersion: string;
  bridge: AttachedInterface;
  hostVeth: AttachedInterface;
  container: AttachedInterface & { netns: string };
  /** The pod's address with the pod CIDR's prefix length: "10.244.1.5/24". */
  address: string;
  gateway: string;
  mtu: number;
}

/** Index of the container's interface in `interfaces`: the bridge and the host veth come first. */
const CONTAINER_INTERFACE_INDEX = 2;

export function buildAddResult(facts: AttachmentFacts): Result {
  return {
    cniVersion: facts.cniVersion,
    interfaces: [
      { name: facts.bridge.name, mac: facts.bridge.mac, sandbox: '', mtu: facts.mtu },
      { name: facts.hostVeth.name, mac: facts.hostVeth.mac, sandbox: '', mtu: facts.mtu },
      { name: facts.container.name, mac: facts.container.mac, sandbox: facts.container.netns, mtu: facts.mtu },
    ],
    ips: [{ address: facts.address, gateway: facts.gateway, interface: CONTAINER_INTERFACE_INDEX }],
    routes: [{ dst: '0.0.0.0/0', gw: facts.gateway }],
    // The plugin knows no DNS: the kubelet writes the pod's resolv.conf itself.
    dns: { nameservers: [], domain: '', search: [], options: [] },
  };
}

/** The container's address in a previous result, if it holds one. */
export function containerAddressOf(result: Result): string | undefined {
  return result.ips.find((ip) => ip.interface === undefined || result.interfaces[ip.interface]?.sandbox)?.address;
}
