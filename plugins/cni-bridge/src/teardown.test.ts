import { access, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseCidr } from '@tkube/process';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BridgePlugin } from './bridge-plugin.js';
import { HostLocalIpam } from './ipam/host-local-ipam.js';
import { hostVethName } from './names.js';
import type { BridgeNetworkConfig, Removal } from './network-host.js';
import { teardownBridgeNetwork } from './teardown.js';
import { FakeNetworkHost } from './testing/fake-network-host.js';

function cidr(text: string) {
  const parsed = parseCidr(text);
  if (!parsed) throw new Error(text);
  return parsed;
}

const network: BridgeNetworkConfig = {
  bridge: 'tkt7',
  podCidr: cidr('10.244.7.0/24'),
  clusterCidr: cidr('10.244.0.0/16'),
  mtu: 1500,
  hairpin: true,
};

const HOST_NETWORK_REMOVED: Removal[] = [
  { kind: 'jump', name: 'filter FORWARD -> TKUBE-FWD-tkt7', outcome: 'removed' },
  { kind: 'chain', name: 'filter TKUBE-FWD-tkt7', outcome: 'removed' },
  { kind: 'jump', name: 'nat POSTROUTING -> TKUBE-MASQ-tkt7', outcome: 'removed' },
  { kind: 'chain', name: 'nat TKUBE-MASQ-tkt7', outcome: 'removed' },
  { kind: 'bridge', name: 'tkt7', outcome: 'removed' },
];

describe('teardownBridgeNetwork', () => {
  let dir: string;
  let ipamDir: string;
  let host: FakeNetworkHost;
  let plugin: BridgePlugin;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tkube-teardown-'));
    ipamDir = join(dir, 'networks', 'tkt7');
    host = new FakeNetworkHost('tkt7', '10.244.7.1/24');
    const ipam = new HostLocalIpam({ dir: ipamDir, subnet: network.podCidr });
    plugin = new BridgePlugin({ network, ipam, host, logger: { info() {}, warn() {} } });
    await host.ensureHostNetwork();
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function attach(containerId: string): Promise<void> {
    const netns = join(dir, `netns-${containerId}`);
    await writeFile(netns, '');
    await plugin.add({ containerId, netns, ifname: 'eth0', args: {}, runtimeConfig: undefined, cniVersion: '' });
  }

  async function attachPort(hostName: string): Promise<void> {
    await host.createVethPair({
      hostName,
      containerIfname: 'eth0',
      containerMac: '02:00:00:00:00:99',
      netns: hostName,
    });
    await host.attachToBridge(hostName);
  }

  it('removes the pods’ veths, stray veths, the rules, the bridge and the IPAM state, and says so', async () => {
    await attach('pod-a');
    await attach('pod-b');
    await attachPort('veth0badf00d');
    const told: Removal[] = [];

    const removals = await teardownBridgeNetwork({
      host,
      bridge: 'tkt7',
      podCidr: network.podCidr,
      ipamDir,
      onRemoval: (removal) => told.push(removal),
    });

    expect(removals).toEqual([
      { kind: 'veth', name: hostVethName('pod-a', 'eth0'), outcome: 'removed' },
      { kind: 'veth', name: hostVethName('pod-b', 'eth0'), outcome: 'removed' },
      { kind: 'veth', name: 'veth0badf00d', outcome: 'removed' },
      ...HOST_NETWORK_REMOVED,
      { kind: 'ipam-state', name: ipamDir, outcome: 'removed' },
    ]);
    expect(told).toEqual(removals);
    expect(host.veths.size).toBe(0);
    expect(host.masqueradeRules).toEqual([]);
    expect(host.hostNetworkUp).toBe(false);
    await expect(access(ipamDir)).rejects.toThrow(/ENOENT/);
  });

  it('leaves ports that are not the plugin’s veths, detached from the gone bridge', async () => {
    await attachPort('tap0');
    await teardownBridgeNetwork({ host, bridge: 'tkt7', ipamDir });
    expect(host.veths.get('tap0')?.master).toBe('');
  });

  it('counts everything missing as removed: a second run finds all already gone', async () => {
    await attach('pod-a');
    await teardownBridgeNetwork({ host, bridge: 'tkt7', ipamDir });
    const again = await teardownBridgeNetwork({ host, bridge: 'tkt7', podCidr: network.podCidr, ipamDir });
    expect(again.map((r) => r.outcome)).toEqual(Array(6).fill('already gone'));
    expect(again.map((r) => r.kind)).toEqual(['jump', 'chain', 'jump', 'chain', 'bridge', 'ipam-state']);
  });

  it('leaves alone a bridge whose address is outside the given pod CIDR', async () => {
    await attach('pod-a');
    await expect(
      teardownBridgeNetwork({ host, bridge: 'tkt7', podCidr: cidr('10.244.8.0/24'), ipamDir }),
    ).rejects.toThrow(
      'bridge tkt7 holds 10.244.7.1/24, outside --pod-cidr 10.244.8.0/24: it belongs to another network; nothing was removed',
    );
    expect(host.veths.size).toBe(1);
    expect(host.hostNetworkUp).toBe(true);
    await access(ipamDir);
  });

  it('stops at a failure, having told what it removed before, and keeps the IPAM state', async () => {
    await attach('pod-a');
    host.failNext('teardownHostNetwork');
    const told: Removal[] = [];
    await expect(
      teardownBridgeNetwork({ host, bridge: 'tkt7', ipamDir, onRemoval: (r) => told.push(r) }),
    ).rejects.toThrow(/injected failure of teardownHostNetwork/);
    expect(told).toEqual([{ kind: 'veth', name: hostVethName('pod-a', 'eth0'), outcome: 'removed' }]);
    await access(ipamDir);
  });
});
