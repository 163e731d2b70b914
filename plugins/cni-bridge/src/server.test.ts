/**
 * The gRPC surface with the in-memory host: the generated client over a real unix
 * socket, the CNI error code carried back in the trailers, and the socket cleaned up.
 */
import { access, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CniClient } from '@tkube/api/cni';
import { CniErrorCode, connectCni, NetworkPluginError } from '@tkube/api/cni';
import { parseCidr } from '@tkube/process';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BridgePlugin } from './bridge-plugin.js';
import { HostLocalIpam } from './ipam/host-local-ipam.js';
import { NodeBlockPlugin } from './node-block-plugin.js';
import type { RunningServer } from './server.js';
import { startNetworkPluginServer } from './server.js';
import { FakeNetworkHost } from './testing/fake-network-host.js';

const silent = { info() {}, warn() {}, error() {} };

describe('network plugin server', () => {
  let dir: string;
  let server: RunningServer;
  let client: CniClient;
  let host: FakeNetworkHost;
  let netns: string;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tkube-cni-server-'));
    netns = join(dir, 'netns');
    await writeFile(netns, '');
    const podCidr = parseCidr('10.244.2.0/24');
    const clusterCidr = parseCidr('10.244.0.0/16');
    if (!podCidr || !clusterCidr) throw new Error('bad CIDR');
    host = new FakeNetworkHost();
    const network = { bridge: 'tkube0', podCidr, clusterCidr, mtu: 1500, hairpin: true };
    const ipam = new HostLocalIpam({ dir: join(dir, 'ipam'), subnet: podCidr });
    const plugin = new BridgePlugin({ network, ipam, host, logger: silent });
    server = await startNetworkPluginServer(`unix://${join(dir, 'run', 'cni.sock')}`, plugin, silent);
    client = connectCni(join(dir, 'run', 'cni.sock'), { callTimeoutMs: 5_000 });
  });

  afterEach(async () => {
    client.close();
    await server.stop(1_000);
    await rm(dir, { recursive: true, force: true });
  });

  it('serves Add, Check, Del and Version through the generated client', async () => {
    const result = await client.add({ containerId: 'pod-a', netns, args: { K8S_POD_NAME: 'a' } });
    expect(result.ips[0]).toEqual({ address: '10.244.2.2/24', gateway: '10.244.2.1', interface: 2 });
    expect(result.interfaces[2]).toMatchObject({ name: 'eth0', sandbox: netns });
    await client.check({ containerId: 'pod-a', netns, prevResult: result });
    await client.del({ containerId: 'pod-a', netns });
    await client.del({ containerId: 'pod-a', netns: '' });
    expect(host.veths.size).toBe(0);
    expect(await client.version()).toEqual({ cniVersion: '1.1.0', supportedVersions: ['1.0.0', '1.1.0'] });
  });

  it('carries the CNI error code of a failure back to the caller', async () => {
    const invalid = await client.add({ containerId: 'bad id', netns }).catch((e: unknown) => e);
    expect(invalid).toBeInstanceOf(NetworkPluginError);
    expect(invalid).toMatchObject({ code: CniErrorCode.InvalidArguments, grpcCode: 3 });

    await client.add({ containerId: 'pod-a', netns });
    const duplicate = await client.add({ containerId: 'pod-a', netns }).catch((e: unknown) => e);
    expect(duplicate).toMatchObject({ code: CniErrorCode.DuplicateAttachment, grpcCode: 6 });

    host.failNext('createVethPair');
    const failed = await client.add({ containerId: 'pod-b', netns, ifname: 'eth1' }).catch((e: unknown) => e);
    expect(failed).toMatchObject({ code: CniErrorCode.IoFailure });
    expect((failed as Error).message).toContain('injected failure of createVethPair');
  });

  it('serves a plugin that learns its block, with the CNI codes of its refusals', async () => {
    const learnDir = join(dir, 'learn');
    const clusterCidr = parseCidr('10.244.0.0/16');
    if (!clusterCidr) throw new Error('bad CIDR');
    const learning = await NodeBlockPlugin.open({
      settings: { bridge: 'tkube0', clusterCidr, mtu: 1500, hairpin: true },
      podCidr: undefined,
      recordDir: learnDir,
      createPlugin: (network) => {
        const ipam = new HostLocalIpam({ dir: learnDir, subnet: network.podCidr });
        return { plugin: new BridgePlugin({ network, ipam, host, logger: silent }), host };
      },
      logger: silent,
    });
    const socket = join(dir, 'run', 'learning.sock');
    const learningServer = await startNetworkPluginServer(`unix://${socket}`, learning, silent);
    const learningClient = connectCni(socket, { callTimeoutMs: 5_000 });
    try {
      expect(await learningClient.status()).toMatchObject({ ready: true, podCidr: '' });
      await expect(learningClient.add({ containerId: 'pod-a', netns })).rejects.toMatchObject({
        code: CniErrorCode.PluginNotAvailable,
        grpcCode: 14,
        message: "the node's pod CIDR is not known yet: start with --pod-cidr or pass the ipRanges capability",
      });
      const ipRanges = (subnet: string) => ({ portMappings: [], ipRanges: [{ ranges: [{ subnet, gateway: '' }] }] });
      const result = await learningClient.add({
        containerId: 'pod-a',
        netns,
        runtimeConfig: ipRanges('10.244.6.0/24'),
      });
      expect(result.ips[0]?.address).toBe('10.244.6.2/24');
      await expect(
        learningClient.add({ containerId: 'pod-b', netns, ifname: 'eth1', runtimeConfig: ipRanges('10.244.7.0/24') }),
      ).rejects.toMatchObject({
        code: CniErrorCode.InvalidNetworkConfig,
        grpcCode: 3,
        message: "this node's pod CIDR is 10.244.6.0/24, the runtime asked for 10.244.7.0/24",
      });
      expect(await learningClient.status()).toMatchObject({ ready: true, podCidr: '10.244.6.0/24' });
    } finally {
      learningClient.close();
      await learningServer.stop(1_000);
    }
  });

  it('reports an unreachable plugin as try-again-later, and removes its socket on stop', async () => {
    await server.stop(1_000);
    await expect(access(join(dir, 'run', 'cni.sock'))).rejects.toThrow();
    const error = await client.version().catch((e: unknown) => e);
    expect(error).toMatchObject({ code: CniErrorCode.TryAgainLater });
  });
});
