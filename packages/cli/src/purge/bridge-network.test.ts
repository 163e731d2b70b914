import { describe, expect, it } from 'vitest';
import { ownJumps, removeBridge, removeBridgePorts, removeNetworkRules, splitRuleLine } from './bridge-network.js';
import { scriptedCommands } from './testing/scripted-commands.js';

const FORWARD = [
  '-P FORWARD DROP',
  '-A FORWARD -m comment --comment tkube-cni-bridge:tkt201 -j TKUBE-FWD-tkt201',
  '-A FORWARD -m comment --comment tkube-cni-bridge:tkt2010 -j TKUBE-FWD-tkt2010',
  '-A FORWARD -j DOCKER-USER',
  '-A FORWARD -m comment --comment "tkube-cni-bridge:tkt201" -j TKUBE-FWD-tkt201',
  '',
].join('\n');
const POSTROUTING = [
  '-P POSTROUTING ACCEPT',
  '-A POSTROUTING -s 172.17.0.0/16 ! -o docker0 -j MASQUERADE',
  '-A POSTROUTING -s 10.244.201.0/24 -m comment --comment tkube-cni-bridge:tkt201 -j TKUBE-MASQ-tkt201',
  '',
].join('\n');

describe('removeNetworkRules', () => {
  it('deletes the bridge’s jumps (and only them), then flushes and removes its two chains', async () => {
    const commands = scriptedCommands({
      'iptables -w 5 -t filter -S FORWARD': { stdout: FORWARD },
      'iptables -w 5 -t nat -S POSTROUTING': { stdout: POSTROUTING },
    });
    expect(await removeNetworkRules(commands, 'tkt201')).toBe('3 jump rule(s) and 2 chain(s) removed');
    expect(commands.calls).toEqual([
      'iptables -w 5 -t filter -S FORWARD',
      'iptables -w 5 -t filter -D FORWARD -m comment --comment tkube-cni-bridge:tkt201 -j TKUBE-FWD-tkt201',
      'iptables -w 5 -t filter -D FORWARD -m comment --comment tkube-cni-bridge:tkt201 -j TKUBE-FWD-tkt201',
      'iptables -w 5 -t filter -F TKUBE-FWD-tkt201',
      'iptables -w 5 -t filter -X TKUBE-FWD-tkt201',
      'iptables -w 5 -t nat -S POSTROUTING',
      'iptables -w 5 -t nat -D POSTROUTING -s 10.244.201.0/24 -m comment --comment tkube-cni-bridge:tkt201 -j TKUBE-MASQ-tkt201',
      'iptables -w 5 -t nat -F TKUBE-MASQ-tkt201',
      'iptables -w 5 -t nat -X TKUBE-MASQ-tkt201',
    ]);
  });

  it('is done when the chains are already gone', async () => {
    const missing = { code: 1, stderr: 'iptables: No chain/target/match by that name.' };
    const commands = scriptedCommands({
      'iptables -w 5 -t filter -F TKUBE-FWD-tkt201': missing,
      'iptables -w 5 -t nat -F TKUBE-MASQ-tkt201': {
        code: 1,
        stderr:
          "iptables v1.8.9 (nf_tables): chain `TKUBE-MASQ-tkt201' in table `nat' is incompatible, use 'nft' tool.",
      },
    });
    expect(await removeNetworkRules(commands, 'tkt201')).toBe('none left');
  });

  it('fails on any other iptables error', async () => {
    const commands = scriptedCommands({
      'iptables -w 5 -t filter -S FORWARD': { code: 4, stderr: 'Permission denied (you must be root)' },
    });
    await expect(removeNetworkRules(commands, 'tkt201')).rejects.toThrow(/you must be root/);
  });
});

describe('ownJumps', () => {
  it('picks rules by the jump comment or by the target chain', () => {
    const listing = '-A FORWARD -i tkt201 -j TKUBE-FWD-tkt201\n-A FORWARD -j TKUBE-FWD-tkt2011\n';
    expect(ownJumps(listing, 'FORWARD', 'tkt201', 'TKUBE-FWD-tkt201')).toEqual([
      ['-i', 'tkt201', '-j', 'TKUBE-FWD-tkt201'],
    ]);
  });

  it('reads quoted values back', () => {
    expect(splitRuleLine('-A X -m comment --comment "a \\"b\\" c" -j Y')).toEqual([
      '-A',
      'X',
      '-m',
      'comment',
      '--comment',
      'a "b" c',
      '-j',
      'Y',
    ]);
  });
});

describe('removeBridgePorts and removeBridge', () => {
  it('deletes each veth attached to the bridge, then the bridge', async () => {
    const commands = scriptedCommands({
      'ip -j link show master tkt201': {
        stdout: JSON.stringify([
          { ifindex: 7, ifname: 'veth1a2b3c4d' },
          { ifindex: 9, ifname: 'veth55667788' },
        ]),
      },
    });
    expect(await removeBridgePorts(commands, 'tkt201')).toBe('2 removed (veth1a2b3c4d, veth55667788)');
    expect(await removeBridge(commands, 'tkt201')).toBe('removed');
    expect(commands.calls).toEqual([
      'ip -j link show master tkt201',
      'ip link del veth1a2b3c4d',
      'ip link del veth55667788',
      'ip link del tkt201',
    ]);
  });

  it('is done when the bridge does not exist', async () => {
    const missing = { code: 1, stderr: 'Cannot find device "tkt201"' };
    const commands = scriptedCommands({ 'ip -j link show master tkt201': missing, 'ip link del tkt201': missing });
    expect(await removeBridgePorts(commands, 'tkt201')).toBe('none left');
    expect(await removeBridge(commands, 'tkt201')).toBe('already gone');
  });
});
