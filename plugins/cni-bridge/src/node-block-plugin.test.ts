import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddRequest, CheckRequest, DelRequest, RuntimeConfig } from '@tkube/api/cni';
import { CniErrorCode, NetworkPluginError } from '@tkube/api/cni';
import type { Ipv4Cidr } from '@tkube/process';
import { parseCidr } from '@tkube/process';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BridgePlugin } from './bridge-plugin.js';
import { HostLocalIpam } from './ipam/host-local-ipam.js';
import { hostVethName } from './names.js';
import type { BridgeNetworkConfig, BridgeSettings } from './network-host.js';
import { BLOCK_UNKNOWN_MESSAGE, NodeBlockPlugin, WAITING_FOR_BLOCK_MESSAGE } from './node-block-plugin.js';
import { podCidrRecordPath } from './pod-cidr-record.js';
import { FakeNetworkHost } from './testing/fake-network-host.js';

const silent = { info() {}, warn() {} };
const GRPC_INVALID_ARGUMENT = 3;
const GRPC_NOT_FOUND = 5;
const GRPC_UNAVAILABLE = 14;

function cidr(text: string): Ipv4Cidr {
  const parsed = parseCidr(text);
  if (!parsed) throw new Error(text);
  return parsed;
}

const settings: BridgeSettings = { bridge: 'tkube0', clusterCidr: cidr('10.244.0.0/16'), mtu: 1500, hairpin: true };

function ipRanges(subnet: string, gateway = ''): RuntimeConfig {
  return { portMappings: [], ipRanges: [{ ranges: [{ subnet, gateway }] }] };
}

describe('NodeBlockPlugin', () => {
  let dir: string;
  let recordDir: string;
  let netnsA: string;
  let netnsB: string;
  /** The fake host of the network the last plugin made, one per block as in the process. */
  let host: FakeNetworkHost;
  let created: BridgeNetworkConfig[];

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tkube-node-block-'));
    recordDir = join(dir, 'networks', 'tkube0');
    netnsA = join(dir, 'netns-a');
    netnsB = join(dir, 'netns-b');
    await writeFile(netnsA, '');
    await writeFile(netnsB, '');
    host = new FakeNetworkHost();
    created = [];
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  /** A plugin process on the test's state dir; a second call is a restart. */
  function open(podCidr?: string): Promise<NodeBlockPlugin> {
    return NodeBlockPlugin.open({
      settings,
      podCidr: podCidr === undefined ? undefined : cidr(podCidr),
      recordDir,
      createPlugin: (network) => {
        created.push(network);
        const ipam = new HostLocalIpam({ dir: recordDir, subnet: network.podCidr });
        return { plugin: new BridgePlugin({ network, ipam, host, logger: silent }), host };
      },
      logger: silent,
    });
  }

  const addRequest = (containerId: string, netns: string, runtimeConfig?: RuntimeConfig): AddRequest => ({
    containerId,
    netns,
    ifname: 'eth0',
    args: {},
    runtimeConfig,
    cniVersion: '',
  });
  const delRequest = (containerId: string, netns: string, runtimeConfig?: RuntimeConfig): DelRequest => ({
    ...addRequest(containerId, netns, runtimeConfig),
    prevResult: undefined,
  });
  const checkRequest = (containerId: string, netns: string, runtimeConfig?: RuntimeConfig): CheckRequest =>
    delRequest(containerId, netns, runtimeConfig);

  async function failure(promise: Promise<unknown>): Promise<NetworkPluginError> {
    const error = await promise.then(
      () => undefined,
      (e: unknown) => e,
    );
    if (!(error instanceof NetworkPluginError)) throw new Error(`expected a NetworkPluginError, got ${String(error)}`);
    return error;
  }

  async function allocated(): Promise<string[]> {
    return (await readdir(recordDir).catch(() => [])).filter((name) => /^\d+\.\d+\.\d+\.\d+$/.test(name));
  }

  describe('without --pod-cidr, before the block is known', () => {
    it('says in Status that it waits for an Add with the block, ready for one, and sets nothing up', async () => {
      const plugin = await open();
      expect(plugin.podCidr).toBeUndefined();
      expect(await plugin.status()).toEqual({
        ready: true,
        message: WAITING_FOR_BLOCK_MESSAGE,
        bridge: 'tkube0',
        podCidr: '',
        gateway: '',
        allocated: 0,
        capacity: 0,
      });
      expect(WAITING_FOR_BLOCK_MESSAGE).toMatch(/waiting for the node's pod CIDR/);
      expect(host.hostNetworkUp).toBe(false);
      expect(created).toEqual([]);
    });

    it('refuses an Add without ipRanges as unavailable', async () => {
      const plugin = await open();
      const error = await failure(plugin.add(addRequest('pod-a', netnsA)));
      expect(error).toMatchObject({ code: CniErrorCode.PluginNotAvailable, grpcCode: GRPC_UNAVAILABLE });
      expect(error.message).toBe(
        "the node's pod CIDR is not known yet: start with --pod-cidr or pass the ipRanges capability",
      );
      expect(BLOCK_UNKNOWN_MESSAGE).toBe(error.message);
      expect(await readdir(dir)).not.toContain('networks');
    });

    it('answers Del with success, Check with not found and Gc with nothing released', async () => {
      const plugin = await open();
      await plugin.del(delRequest('pod-a', netnsA));
      await plugin.del(delRequest('pod-a', ''));
      const check = await failure(plugin.check(checkRequest('pod-a', netnsA)));
      expect(check).toMatchObject({ code: CniErrorCode.ContainerUnknown, grpcCode: GRPC_NOT_FOUND });
      expect(check.message).toBe(
        "container pod-a interface eth0 holds no address: the node's pod CIDR is not known yet, so nothing was added",
      );
      expect(await plugin.gc([])).toBe(0);
      expect(created).toEqual([]);
    });

    it('still refuses malformed requests as invalid arguments', async () => {
      const plugin = await open();
      for (const call of [
        plugin.add(addRequest('bad id', netnsA, ipRanges('10.244.3.0/24'))),
        plugin.del(delRequest('pod-a', 'relative/netns')),
        plugin.check(checkRequest('-j', netnsA)),
      ]) {
        expect(await failure(call)).toMatchObject({ code: CniErrorCode.InvalidArguments });
      }
      // The malformed Add taught nothing.
      expect(plugin.podCidr).toBeUndefined();
    });

    it.each([
      ['10.245.3.0/24', '', 'the ipRanges subnet "10.245.3.0/24" is not inside --cluster-cidr 10.244.0.0/16'],
      [
        '10.244.3.0/31',
        '',
        'the ipRanges subnet "10.244.3.0/31" is not an IPv4 network block of /30 or larger (10.244.1.0/24)',
      ],
      [
        '10.244.3.7/24',
        '',
        'the ipRanges subnet "10.244.3.7/24" is not an IPv4 network block of /30 or larger (10.244.1.0/24)',
      ],
      [
        'fd00::/64',
        '',
        'the ipRanges subnet "fd00::/64" is not an IPv4 network block of /30 or larger (10.244.1.0/24)',
      ],
      [
        '10.244.3.0/24',
        '10.244.3.254',
        'the ipRanges gateway "10.244.3.254" is not supported: the gateway of 10.244.3.0/24 is the ' +
          "bridge's address, its first: 10.244.3.1",
      ],
    ])('refuses the block %s (gateway %j) as invalid network configuration', async (subnet, gateway, message) => {
      const plugin = await open();
      const error = await failure(plugin.add(addRequest('pod-a', netnsA, ipRanges(subnet, gateway))));
      expect(error).toMatchObject({ code: CniErrorCode.InvalidNetworkConfig, grpcCode: GRPC_INVALID_ARGUMENT });
      expect(error.message).toBe(message);
      expect(plugin.podCidr).toBeUndefined();
      expect((await plugin.status()).podCidr).toBe('');
    });

    it('refuses ipRanges whose first set holds no range', async () => {
      const plugin = await open();
      const runtimeConfig = { portMappings: [], ipRanges: [{ ranges: [] }] };
      const error = await failure(plugin.add(addRequest('pod-a', netnsA, runtimeConfig)));
      expect(error).toMatchObject({ code: CniErrorCode.InvalidNetworkConfig });
    });
  });

  describe('learning the block from the first Add', () => {
    it('gives the pod an address in it, records it, and sets up the host network', async () => {
      const plugin = await open();
      const result = await plugin.add(addRequest('pod-a', netnsA, ipRanges('10.244.3.0/24')));
      expect(result.ips).toEqual([{ address: '10.244.3.2/24', gateway: '10.244.3.1', interface: 2 }]);
      expect(result.routes).toEqual([{ dst: '0.0.0.0/0', gw: '10.244.3.1' }]);
      expect(await readFile(podCidrRecordPath(recordDir), 'utf8')).toBe('10.244.3.0/24\n');
      expect(host.hostNetworkUp).toBe(true);
      expect(await plugin.status()).toMatchObject({
        ready: true,
        message: '',
        podCidr: '10.244.3.0/24',
        gateway: '10.244.3.1',
        allocated: 1,
        capacity: 253,
      });

      // The gateway given as the block's first address is the same range.
      const second = await plugin.add(addRequest('pod-b', netnsB, ipRanges('10.244.3.0/24', '10.244.3.1')));
      expect(second.ips[0]?.address).toBe('10.244.3.3/24');
      expect(created).toHaveLength(1);
    });

    it('serves later Adds without ipRanges from the learnt block', async () => {
      const plugin = await open();
      await plugin.add(addRequest('pod-a', netnsA, ipRanges('10.244.3.0/24')));
      const result = await plugin.add(addRequest('pod-b', netnsB));
      expect(result.ips[0]?.address).toBe('10.244.3.3/24');
    });

    it('refuses a later Add naming another block, holding nothing for it', async () => {
      const plugin = await open();
      await plugin.add(addRequest('pod-a', netnsA, ipRanges('10.244.3.0/24')));
      const error = await failure(plugin.add(addRequest('pod-b', netnsB, ipRanges('10.244.4.0/24'))));
      expect(error).toMatchObject({ code: CniErrorCode.InvalidNetworkConfig, grpcCode: GRPC_INVALID_ARGUMENT });
      expect(error.message).toBe("this node's pod CIDR is 10.244.3.0/24, the runtime asked for 10.244.4.0/24");
      expect(await allocated()).toEqual(['10.244.3.2']);
      expect(host.veths.has(hostVethName('pod-b', 'eth0'))).toBe(false);
    });

    it('learns once when the first Adds come together, and refuses the one naming another block', async () => {
      const plugin = await open();
      const outcomes = await Promise.allSettled([
        plugin.add(addRequest('pod-a', netnsA, ipRanges('10.244.3.0/24'))),
        plugin.add(addRequest('pod-b', netnsB, ipRanges('10.244.3.0/24'))),
        plugin.add(addRequest('pod-c', netnsA, { portMappings: [], ipRanges: [] })),
        plugin.add({ ...addRequest('pod-d', netnsB, ipRanges('10.244.9.0/24')), ifname: 'eth1' }),
      ]);
      expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'rejected']);
      expect(outcomes[2]).toMatchObject({ reason: { code: CniErrorCode.PluginNotAvailable } });
      expect(outcomes[3]).toMatchObject({ reason: { code: CniErrorCode.InvalidNetworkConfig } });
      expect(created).toHaveLength(1);
      expect((await allocated()).sort()).toEqual(['10.244.3.2', '10.244.3.3']);
    });

    it('refuses the block when another process recorded a different one first', async () => {
      const plugin = await open();
      await mkdir(recordDir, { recursive: true });
      await writeFile(podCidrRecordPath(recordDir), '10.244.7.0/24\n');
      const error = await failure(plugin.add(addRequest('pod-a', netnsA, ipRanges('10.244.3.0/24'))));
      expect(error.message).toBe("this node's pod CIDR is 10.244.7.0/24, the runtime asked for 10.244.3.0/24");
      expect(plugin.podCidr).toEqual(cidr('10.244.7.0/24'));
    });

    it('fails the Add when the host network cannot be set up, and sets it up at the next', async () => {
      const plugin = await open();
      host.failNext('ensureHostNetwork');
      const error = await failure(plugin.add(addRequest('pod-a', netnsA, ipRanges('10.244.3.0/24'))));
      expect(error).toMatchObject({ code: CniErrorCode.IoFailure });
      expect(error.message).toBe(
        'failed to set up the host network for 10.244.3.0/24: injected failure of ensureHostNetwork',
      );
      expect(await allocated()).toEqual([]);
      // The block is the node's all the same: it stays known, and the next Add completes the set-up.
      expect(plugin.podCidr).toEqual(cidr('10.244.3.0/24'));
      const result = await plugin.add(addRequest('pod-a', netnsA));
      expect(result.ips[0]?.address).toBe('10.244.3.2/24');
      expect(host.hostNetworkUp).toBe(true);
    });

    it('refuses a Check whose ipRanges name another block, and ignores them on Del', async () => {
      const plugin = await open();
      const result = await plugin.add(addRequest('pod-a', netnsA, ipRanges('10.244.3.0/24')));
      await plugin.check({ ...checkRequest('pod-a', netnsA, ipRanges('10.244.3.0/24')), prevResult: result });
      const error = await failure(plugin.check(checkRequest('pod-a', netnsA, ipRanges('10.244.5.0/24'))));
      expect(error).toMatchObject({ code: CniErrorCode.InvalidNetworkConfig });
      await plugin.del(delRequest('pod-a', netnsA, ipRanges('10.244.5.0/24')));
      expect(await allocated()).toEqual([]);
      expect(host.veths.size).toBe(0);
    });
  });

  describe('after a restart', () => {
    it('knows the recorded block before any Add: Status, Check, Del and Gc work from it', async () => {
      const first = await open();
      const resultA = await first.add(addRequest('pod-a', netnsA, ipRanges('10.244.3.0/24')));
      await first.add(addRequest('pod-b', netnsB, ipRanges('10.244.3.0/24')));
      host.hostNetworkUp = false;

      const restarted = await open();
      expect(restarted.podCidr).toEqual(cidr('10.244.3.0/24'));
      // Set up at start, as with --pod-cidr.
      expect(host.hostNetworkUp).toBe(true);
      expect(await restarted.status()).toMatchObject({ ready: true, podCidr: '10.244.3.0/24', allocated: 2 });
      await restarted.check({ ...checkRequest('pod-a', netnsA), prevResult: resultA });
      await restarted.del(delRequest('pod-a', netnsA));
      expect(await restarted.gc([])).toBe(1);
      expect(await allocated()).toEqual([]);
      expect(host.veths.size).toBe(0);

      const error = await failure(restarted.add(addRequest('pod-c', netnsA, ipRanges('10.244.4.0/24'))));
      expect(error.message).toBe("this node's pod CIDR is 10.244.3.0/24, the runtime asked for 10.244.4.0/24");
    });

    it.each([
      ['garbage\n', /the pod CIDR "garbage" recorded in .*node-pod-cidr is not an IPv4 network block/],
      ['10.250.3.0/24\n', /recorded in .* is not inside --cluster-cidr 10\.244\.0\.0\/16; remove the file/],
    ])('refuses to start on a record holding %j', async (text, message) => {
      await mkdir(recordDir, { recursive: true });
      await writeFile(podCidrRecordPath(recordDir), text);
      await expect(open()).rejects.toThrow(message);
    });

    it('fails the start when the host network of the recorded block cannot be set up', async () => {
      await mkdir(recordDir, { recursive: true });
      await writeFile(podCidrRecordPath(recordDir), '10.244.3.0/24\n');
      host.failNext('ensureHostNetwork');
      await expect(open()).rejects.toThrow('failed to set up the host network: injected failure of ensureHostNetwork');
    });
  });

  describe('with --pod-cidr', () => {
    it('serves its block from the start, with or without ipRanges naming it, and records nothing', async () => {
      const plugin = await open('10.244.1.0/24');
      expect(host.hostNetworkUp).toBe(true);
      expect(await plugin.status()).toMatchObject({ ready: true, podCidr: '10.244.1.0/24', gateway: '10.244.1.1' });
      expect((await plugin.add(addRequest('pod-a', netnsA))).ips[0]?.address).toBe('10.244.1.2/24');
      const withRanges = await plugin.add(addRequest('pod-b', netnsB, ipRanges('10.244.1.0/24')));
      expect(withRanges.ips[0]?.address).toBe('10.244.1.3/24');
      expect(await readdir(recordDir)).not.toContain('node-pod-cidr');
    });

    it('refuses an Add naming another block', async () => {
      const plugin = await open('10.244.1.0/24');
      const error = await failure(plugin.add(addRequest('pod-a', netnsA, ipRanges('10.244.2.0/24'))));
      expect(error).toMatchObject({ code: CniErrorCode.InvalidNetworkConfig, grpcCode: GRPC_INVALID_ARGUMENT });
      expect(error.message).toBe("this node's pod CIDR is 10.244.1.0/24, the runtime asked for 10.244.2.0/24");
      expect(await allocated()).toEqual([]);
    });

    it('answers the versions without a block', async () => {
      expect((await open()).version()).toEqual({ cniVersion: '1.1.0', supportedVersions: ['1.0.0', '1.1.0'] });
    });
  });
});
