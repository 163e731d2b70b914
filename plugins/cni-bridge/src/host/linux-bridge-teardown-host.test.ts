import { describe, expect, it } from 'vitest';
import type { CommandRunner } from './command-runner.js';
import { CommandError } from './command-runner.js';
import { LinuxBridgeTeardownHost } from './linux-bridge-teardown-host.js';

type Answer = { stdout?: string; exitCode?: number; stderr?: string };

/** Records each command as one line and answers from a script (default: success, no output). */
function scriptedRunner(script: Record<string, Answer> = {}): CommandRunner & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    async run(file, args) {
      const line = [file, ...args].join(' ');
      calls.push(line);
      const answer = script[line] ?? {};
      if (answer.exitCode) throw new CommandError([file, ...args], answer.exitCode, answer.stderr ?? '');
      return answer.stdout ?? '';
    },
  };
}

const FORWARD = [
  '-P FORWARD DROP',
  '-A FORWARD -m comment --comment tkube-cni-bridge:tkt201 -j TKUBE-FWD-tkt201',
  '-A FORWARD -m comment --comment tkube-cni-bridge:tkt2010 -j TKUBE-FWD-tkt2010',
  '-A FORWARD -j DOCKER-USER',
  '-A FORWARD -i tkt201 -j TKUBE-FWD-tkt201',
  '',
].join('\n');
const POSTROUTING = [
  '-P POSTROUTING ACCEPT',
  '-A POSTROUTING -s 172.17.0.0/16 ! -o docker0 -j MASQUERADE',
  '-A POSTROUTING -s 10.244.201.0/24 -m comment --comment "tkube-cni-bridge:tkt201" -j TKUBE-MASQ-tkt201',
  '',
].join('\n');
const MISSING_CHAIN = { exitCode: 1, stderr: 'iptables: No chain/target/match by that name.' };
const MISSING_DEVICE = { exitCode: 1, stderr: 'Cannot find device "tkt201"' };

describe('LinuxBridgeTeardownHost.teardownHostNetwork', () => {
  it('deletes every jump into the bridge’s chains (and only those), the chains, then the bridge', async () => {
    const runner = scriptedRunner({
      'iptables -w 5 -t filter -S FORWARD': { stdout: FORWARD },
      'iptables -w 5 -t nat -S POSTROUTING': { stdout: POSTROUTING },
    });
    const removals = await LinuxBridgeTeardownHost.create('tkt201', runner).teardownHostNetwork();
    expect(removals.map((r) => `${r.outcome}: ${r.kind} ${r.name}`)).toEqual([
      'removed: jump filter FORWARD -> TKUBE-FWD-tkt201',
      'removed: chain filter TKUBE-FWD-tkt201',
      'removed: jump nat POSTROUTING -> TKUBE-MASQ-tkt201',
      'removed: chain nat TKUBE-MASQ-tkt201',
      'removed: bridge tkt201',
    ]);
    expect(runner.calls).toEqual([
      'iptables -w 5 -t filter -S FORWARD',
      'iptables -w 5 -t filter -D FORWARD -m comment --comment tkube-cni-bridge:tkt201 -j TKUBE-FWD-tkt201',
      'iptables -w 5 -t filter -D FORWARD -i tkt201 -j TKUBE-FWD-tkt201',
      'iptables -w 5 -t filter -F TKUBE-FWD-tkt201',
      'iptables -w 5 -t filter -X TKUBE-FWD-tkt201',
      'iptables -w 5 -t nat -S POSTROUTING',
      'iptables -w 5 -t nat -D POSTROUTING -s 10.244.201.0/24 -m comment --comment tkube-cni-bridge:tkt201 -j TKUBE-MASQ-tkt201',
      'iptables -w 5 -t nat -F TKUBE-MASQ-tkt201',
      'iptables -w 5 -t nat -X TKUBE-MASQ-tkt201',
      'ip link del dev tkt201',
    ]);
  });

  it('reports what was missing as already gone', async () => {
    const runner = scriptedRunner({
      'iptables -w 5 -t filter -F TKUBE-FWD-tkt201': MISSING_CHAIN,
      'iptables -w 5 -t filter -X TKUBE-FWD-tkt201': MISSING_CHAIN,
      // iptables-nft 1.8.9 words a missing chain this way.
      'iptables -w 5 -t nat -F TKUBE-MASQ-tkt201': {
        exitCode: 1,
        stderr:
          "iptables v1.8.9 (nf_tables): chain `TKUBE-MASQ-tkt201' in table `nat' is incompatible, use 'nft' tool.",
      },
      'iptables -w 5 -t nat -X TKUBE-MASQ-tkt201': MISSING_CHAIN,
      'ip link del dev tkt201': MISSING_DEVICE,
    });
    const removals = await LinuxBridgeTeardownHost.create('tkt201', runner).teardownHostNetwork();
    expect(removals.every((r) => r.outcome === 'already gone')).toBe(true);
  });

  it('fails on any other error', async () => {
    const runner = scriptedRunner({
      'iptables -w 5 -t filter -S FORWARD': { exitCode: 4, stderr: 'Permission denied (you must be root)' },
    });
    await expect(LinuxBridgeTeardownHost.create('tkt201', runner).teardownHostNetwork()).rejects.toThrow(
      /you must be root/,
    );
  });
});

describe('LinuxBridgeTeardownHost ports and addresses', () => {
  it('lists the bridge’s ports, none when there is no bridge', async () => {
    const ports = JSON.stringify([{ ifname: 'veth1a2b3c4d' }, { ifname: 'veth55667788' }]);
    const present = scriptedRunner({ 'ip -j link show master tkt201': { stdout: ports } });
    expect(await LinuxBridgeTeardownHost.create('tkt201', present).bridgePorts()).toEqual([
      'veth1a2b3c4d',
      'veth55667788',
    ]);
    const absent = scriptedRunner({ 'ip -j link show master tkt201': MISSING_DEVICE });
    expect(await LinuxBridgeTeardownHost.create('tkt201', absent).bridgePorts()).toEqual([]);
    expect(await LinuxBridgeTeardownHost.create('tkt201', absent).deleteLink('veth1a2b3c4d')).toBe(true);
  });

  it('answers the bridge’s addresses, undefined when there is no bridge', async () => {
    const absent = scriptedRunner({ 'ip -j -d addr show dev tkt201': MISSING_DEVICE });
    expect(await LinuxBridgeTeardownHost.create('tkt201', absent).bridgeAddresses()).toBeUndefined();
  });
});
