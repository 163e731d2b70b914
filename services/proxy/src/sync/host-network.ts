/**
 * The kernel settings the rules rely on:
 * - net.ipv4.conf.all.route_localnet=1, so a NodePort answers on 127.0.0.1 (a packet from
 *   127.0.0.1 DNAT-ed to a pod may leave the host); kube-proxy sets it too, and the
 *   FIREWALL chain drops what it would otherwise let in from outside.
 * - net.bridge.bridge-nf-call-iptables=1 (br_netfilter), so that a reply from a pod to a
 *   pod on the same bridge, which never goes through the host's routing, still has its
 *   DNAT undone. Without it ClusterIP traffic from pods must be masqueraded as well
 *   (--masquerade-all), so that replies come back through the host.
 */
import { readFile, writeFile } from 'node:fs/promises';
import type { Logger } from 'pino';
import type { CommandRunner } from '../iptables/command-runner.js';

export interface Sysctl {
  /** The value, or undefined when the setting does not exist (module not loaded). */
  read(name: string): Promise<string | undefined>;
  write(name: string, value: string): Promise<void>;
}

export const procSysctl: Sysctl = {
  async read(name) {
    try {
      return (await readFile(pathOf(name), 'utf8')).trim();
    } catch {
      return undefined;
    }
  },
  write: (name, value) => writeFile(pathOf(name), value),
};

function pathOf(name: string): string {
  return `/proc/sys/${name.replaceAll('.', '/')}`;
}

export const ROUTE_LOCALNET = 'net.ipv4.conf.all.route_localnet';
export const BRIDGE_NF_CALL_IPTABLES = 'net.bridge.bridge-nf-call-iptables';

export interface HostNetwork {
  /** Whether bridged packets pass iptables; when false, pods' ClusterIP traffic must be masqueraded. */
  readonly bridgeCallsIptables: boolean;
}

export async function prepareHostNetwork(sysctl: Sysctl, runner: CommandRunner, logger: Logger): Promise<HostNetwork> {
  if ((await sysctl.read(ROUTE_LOCALNET)) === '1') {
    logger.info({ sysctl: ROUTE_LOCALNET }, `${ROUTE_LOCALNET} is 1: NodePorts answer on 127.0.0.1`);
  } else {
    try {
      await sysctl.write(ROUTE_LOCALNET, '1');
      logger.info({ sysctl: ROUTE_LOCALNET }, `set ${ROUTE_LOCALNET}=1 so that NodePorts answer on 127.0.0.1`);
    } catch (err) {
      logger.warn(
        { err, sysctl: ROUTE_LOCALNET },
        `cannot set ${ROUTE_LOCALNET}=1; NodePorts on 127.0.0.1 will not answer`,
      );
    }
  }
  if ((await sysctl.read('net.ipv4.ip_forward')) === '0') {
    logger.warn({}, 'net.ipv4.ip_forward is 0: traffic to pods on other hosts will not be forwarded');
  }

  if ((await sysctl.read(BRIDGE_NF_CALL_IPTABLES)) === undefined) {
    // Absent: br_netfilter is not loaded; modprobe may be missing, which is the same answer.
    await runner.run('modprobe', ['br_netfilter']).catch(() => undefined);
  }
  let value = await sysctl.read(BRIDGE_NF_CALL_IPTABLES);
  if (value === '0') {
    await sysctl.write(BRIDGE_NF_CALL_IPTABLES, '1').catch(() => undefined);
    value = await sysctl.read(BRIDGE_NF_CALL_IPTABLES);
  }
  const bridgeCallsIptables = value === '1';
  if (!bridgeCallsIptables) {
    logger.warn(
      { sysctl: BRIDGE_NF_CALL_IPTABLES },
      'bridged traffic does not pass iptables; masquerading all ClusterIP traffic',
    );
  }
  return { bridgeCallsIptables };
}
