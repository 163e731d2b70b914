import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddRequest, DelRequest } from '@tkube/api/cni';
import { CniErrorCode, NetworkPluginError } from '@tkube/api/cni';
import { parseCidr } from '@tkube/process';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BridgePlugin } from './bridge-plugin.js';
import { HostLocalIpam } from './ipam/host-local-ipam.js';
import { attachmentComment, hostVethName } from './names.js';
import type { BridgeNetworkConfig } from './network-host.js';
import type { FakeHostOperation } from './testing/fake-network-host.js';
import { FakeNetworkHost } from './testing/fake-network-host.js';

const silent = { info() {}, warn() {} };

function cidr(text: string) {
  const parsed = parseCidr(text);
  if (!parsed) throw new Error(text);
  return parsed;
}

const network: BridgeNetworkConfig = {
  bridge: 'tkube0',
  podCidr: cidr('10.244.1.0/24'),
  clusterCidr: cidr('10.244.0.0/16'),
  mtu: 1450,
  hairpin: true,
};

describe('BridgePlugin', () => {
  let dir: string;
  let host: FakeNetworkHost;
  let ipam: HostLocalIpam;
  let plugin: BridgePlugin;
  let netnsA: string;
  let netnsB: string;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tkube-bridge-plugin-'));
    // Add only needs the namespace path to exist; the fake host does the rest.
    netnsA = join(dir, 'netns-a');
    netnsB = join(dir, 'netns-b');
    await writeFile(netnsA, '');
    await writeFile(netnsB, '');
    host = new FakeNetworkHost();
    ipam = new HostLocalIpam({ dir: join(dir, 'ipam'), subnet: network.podCidr });
    plugin = new BridgePlugin({ network, ipam, host, logger: silent });
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const addRequest = (containerId: string, netns: string, overrides: Partial<AddRequest> = {}): AddRequest => ({
    containerId,
    netns,
    ifname: 'eth0',
    args: { K8S_POD_NAMESPACE: 'default', K8S_POD_NAME: containerId },
    runtimeConfig: undefined,
    cniVersion: '',
    ...overrides,
  });
  const delRequest = (containerId: string, netns: string): DelRequest => ({
    containerId,
    netns,
    ifname: 'eth0',
    args: {},
    runtimeConfig: undefined,
    cniVersion: '',
    prevResult: undefined,
  });

  async function expectNothingLeft() {
    expect(await ipam.list()).toEqual([]);
    expect(host.veths.size).toBe(0);
    expect(host.containerInterfaces.size).toBe(0);
    expect(host.masqueradeRules).toEqual([]);
  }

  it('answers the CNI result of an Add: bridge, host veth, container interface, address, route', async () => {
    const result = await plugin.add(addRequest('pod-a', netnsA));
    const veth = hostVethName('pod-a', 'eth0');
    expect(result.cniVersion).toBe('1.1.0');
    expect(result.interfaces.map((i) => [i.name, i.sandbox, i.mtu])).toEqual([
      ['tkube0', '', 1450],
      [veth, '', 1450],
      ['eth0', netnsA, 1450],
    ]);
    expect(result.interfaces[2]?.mac).toBe(host.containerInterfaces.get(`${netnsA} eth0`)?.mac);
    expect(result.ips).toEqual([{ address: '10.244.1.2/24', gateway: '10.244.1.1', interface: 2 }]);
    expect(result.routes).toEqual([{ dst: '0.0.0.0/0', gw: '10.244.1.1' }]);
    expect(host.masqueradeRules).toEqual([{ podIp: '10.244.1.2', comment: attachmentComment('pod-a', 'eth0') }]);
    expect(host.veths.get(veth)?.master).toBe('tkube0');
  });

  it('answers in the version the caller asked for', async () => {
    const result = await plugin.add(addRequest('pod-a', netnsA, { cniVersion: '1.0.0' }));
    expect(result.cniVersion).toBe('1.0.0');
  });

  it.each<FakeHostOperation>(['createVethPair', 'attachToBridge', 'configureContainerInterface', 'addMasquerade'])(
    'leaves no address, veth or rule behind when %s fails',
    async (operation) => {
      host.failNext(operation);
      const error = await plugin.add(addRequest('pod-a', netnsA)).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(Error);
      await expectNothingLeft();
      // The failure left no trace, so the same attachment can be added again.
      const retry = await plugin.add(addRequest('pod-a', netnsA));
      expect(retry.ips[0]?.address).toBe('10.244.1.3/24');
    },
  );

  it('refuses a second Add of the same attachment without harming the first', async () => {
    await plugin.add(addRequest('pod-a', netnsA));
    const error = await plugin.add(addRequest('pod-a', netnsA)).catch((e: unknown) => e);
    expect((error as NetworkPluginError).code).toBe(CniErrorCode.DuplicateAttachment);
    expect(await ipam.find('pod-a', 'eth0')).toBe('10.244.1.2');
    expect(host.veths.has(hostVethName('pod-a', 'eth0'))).toBe(true);
    expect(host.masqueradeRules).toHaveLength(1);
  });

  it('refuses an Add into a namespace that does not exist, holding nothing', async () => {
    const error = await plugin.add(addRequest('pod-a', join(dir, 'gone'))).catch((e: unknown) => e);
    expect((error as NetworkPluginError).code).toBe(CniErrorCode.InvalidArguments);
    await expectNothingLeft();
  });

  it('refuses bad arguments before touching anything', async () => {
    for (const request of [
      addRequest('-j', netnsA),
      addRequest('pod-a', netnsA, { ifname: '-force' }),
      addRequest('pod-a', 'relative/netns'),
      addRequest('pod-a', netnsA, { cniVersion: '0.3.1' }),
    ]) {
      await expect(plugin.add(request)).rejects.toBeInstanceOf(NetworkPluginError);
    }
    await expectNothingLeft();
  });

  it('Del releases everything, and is idempotent', async () => {
    await plugin.add(addRequest('pod-a', netnsA));
    await plugin.add(addRequest('pod-b', netnsB));
    await plugin.del(delRequest('pod-a', netnsA));
    await plugin.del(delRequest('pod-a', netnsA));
    expect((await ipam.list()).map((a) => a.containerId)).toEqual(['pod-b']);
    expect([...host.veths.keys()]).toEqual([hostVethName('pod-b', 'eth0')]);
    expect(host.masqueradeRules.map((r) => r.comment)).toEqual([attachmentComment('pod-b', 'eth0')]);
  });

  it('Del succeeds for an attachment it never saw and when the namespace is gone', async () => {
    await plugin.del(delRequest('never-added', ''));
    await plugin.add(addRequest('pod-a', netnsA));
    host.removeNetns(netnsA);
    await rm(netnsA);
    await plugin.del(delRequest('pod-a', netnsA));
    await expectNothingLeft();
  });

  it('Del works from the state on disk alone, as after a restart', async () => {
    await plugin.add(addRequest('pod-a', netnsA));
    const restarted = new BridgePlugin({
      network,
      ipam: new HostLocalIpam({ dir: ipam.dir, subnet: network.podCidr }),
      host,
      logger: silent,
    });
    await restarted.del(delRequest('pod-a', netnsA));
    await expectNothingLeft();
  });

  it('Check passes on a fresh attachment and fails once a piece is missing', async () => {
    const result = await plugin.add(addRequest('pod-a', netnsA));
    const check = { ...delRequest('pod-a', netnsA), prevResult: result };
    await plugin.check(check);

    const wrongPrevious = { ...result, ips: [{ address: '10.244.1.99/24', gateway: '10.244.1.1', interface: 2 }] };
    await expect(plugin.check({ ...check, prevResult: wrongPrevious })).rejects.toMatchObject({
      code: CniErrorCode.ContainerUnknown,
    });

    await host.removeMasquerade(attachmentComment('pod-a', 'eth0'));
    await expect(plugin.check(check)).rejects.toThrow(/masquerade/);

    await plugin.del(delRequest('pod-a', netnsA));
    await expect(plugin.check(check)).rejects.toThrow(/holds no address/);
  });

  it('Gc releases the attachments the runtime no longer lists, and stray veths', async () => {
    await plugin.add(addRequest('pod-a', netnsA));
    await plugin.add(addRequest('pod-b', netnsB));
    await host.createVethPair({
      hostName: 'veth0badf00d',
      containerIfname: 'eth0',
      containerMac: '02:00:00:00:00:99',
      netns: '/x',
    });
    await host.attachToBridge('veth0badf00d');

    const released = await plugin.gc([{ containerId: 'pod-b', ifname: 'eth0' }]);
    expect(released).toBe(1);
    expect((await ipam.list()).map((a) => a.containerId)).toEqual(['pod-b']);
    expect([...host.veths.keys()]).toEqual([hostVethName('pod-b', 'eth0')]);
    expect(host.masqueradeRules.map((r) => r.comment)).toEqual([attachmentComment('pod-b', 'eth0')]);
  });

  it('reports its status and versions', async () => {
    await plugin.add(addRequest('pod-a', netnsA));
    expect(await plugin.status()).toEqual({
      ready: true,
      message: '',
      bridge: 'tkube0',
      podCidr: '10.244.1.0/24',
      gateway: '10.244.1.1',
      allocated: 1,
      capacity: 253,
    });
    expect(plugin.version()).toEqual({ cniVersion: '1.1.0', supportedVersions: ['1.0.0', '1.1.0'] });
  });
});
