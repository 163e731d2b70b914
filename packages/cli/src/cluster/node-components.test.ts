import { describe, expect, it } from 'vitest';
import { CNI_BRIDGE_MAIN, CRI_DOCKER_MAIN, CRI_FAKE_MAIN, KUBELET_MAIN } from './built-programs.js';
import type { ClusterContext } from './component.js';
import { apiserver, clusterComponents } from './components.js';
import { dataDir } from './data-dir.js';
import { networkTeardownCommand, nodeComponents } from './node-components.js';
import type { NodeSettings } from './node-settings.js';

const context: ClusterContext = { dir: dataDir('/data'), ports: { apiserver: 16443, grpc: 16444, nats: 14222 } };
const node: NodeSettings = {
  name: 'tkube-node-2',
  clusterCidr: '10.244.0.0/16',
  bridge: 'tkube2',
  kubeletPort: 10251,
  runtime: 'docker',
};

/** argv as "--flag value" pairs, after the program's script. */
async function flagsOf(command: Promise<{ file: string; args: string[] }>): Promise<Record<string, string>> {
  const { file, args } = await command;
  expect(file).toBe(process.execPath);
  const flags: Record<string, string> = {};
  for (let i = 1; i < args.length; i += 2) flags[args[i] ?? ''] = args[i + 1] ?? '';
  return flags;
}

describe("a node's components", () => {
  it('runs cri-docker on the node socket, scoped to this node of this cluster', async () => {
    const { runtime } = nodeComponents(node);
    expect(runtime.name).toBe('cri-tkube-node-2');
    expect((await runtime.command(context)).args[0]).toBe(CRI_DOCKER_MAIN);
    expect(await flagsOf(runtime.command(context))).toEqual({
      '--listen': 'unix:///data/run/tkube-node-2/cri.sock',
      '--docker-socket': '/var/run/docker.sock',
      '--pause-image': 'tkube/pause:3.10',
      '--root-dir': '/data/nodes/tkube-node-2/cri',
      '--streaming-address': '127.0.0.1:0',
      '--instance': 'tkube-node-2@tkube2',
    });
    expect(runtime.address(context)).toBe('unix:///data/run/tkube-node-2/cri.sock');
    expect(runtime.ports(context)).toEqual({});
  });

  it('runs cri-fake instead with --runtime fake, under the same name and socket', async () => {
    const { runtime } = nodeComponents({ ...node, runtime: 'fake' });
    expect(runtime.name).toBe('cri-tkube-node-2');
    expect((await runtime.command(context)).args[0]).toBe(CRI_FAKE_MAIN);
    // No --pod-cidr: the kubelet gives it the block node IPAM chose (UpdateRuntimeConfig).
    expect(await flagsOf(runtime.command(context))).toEqual({ '--listen': 'unix:///data/run/tkube-node-2/cri.sock' });
  });

  it('runs cni-bridge with the node bridge and the cluster range, its block to come from the kubelet', async () => {
    const { network } = nodeComponents(node);
    expect(network.name).toBe('cni-tkube-node-2');
    expect((await network.command(context)).args[0]).toBe(CNI_BRIDGE_MAIN);
    expect(await flagsOf(network.command(context))).toEqual({
      '--listen': 'unix:///data/run/tkube-node-2/cni.sock',
      '--bridge': 'tkube2',
      '--cluster-cidr': '10.244.0.0/16',
      '--state-dir': '/data/nodes/tkube-node-2/cni',
    });
  });

  it('tears the network down with the same bridge and state dir as it served with, refusing bridges outside the range', async () => {
    const { network } = nodeComponents(node);
    const served = await flagsOf(network.command(context));
    const teardown = networkTeardownCommand(node, context.dir);
    expect(teardown.file).toBe(process.execPath);
    expect(teardown.args.slice(0, 2)).toEqual([CNI_BRIDGE_MAIN, '--teardown']);
    const flags = await flagsOf(Promise.resolve({ file: teardown.file, args: teardown.args.slice(1) }));
    expect(flags).toEqual({
      '--bridge': served['--bridge'],
      '--pod-cidr': served['--cluster-cidr'],
      '--state-dir': served['--state-dir'],
      '--output': 'json',
    });
  });

  it('points the kubelet at both plugins, the apiserver gRPC port and the token file', async () => {
    const { kubelet } = nodeComponents(node);
    expect(kubelet.name).toBe('kubelet-tkube-node-2');
    expect((await kubelet.command(context)).args[0]).toBe(KUBELET_MAIN);
    expect(await flagsOf(kubelet.command(context))).toEqual({
      '--node-name': 'tkube-node-2',
      '--apiserver-grpc': '127.0.0.1:16444',
      '--token-file': '/data/tokens.csv',
      '--container-runtime-endpoint': 'unix:///data/run/tkube-node-2/cri.sock',
      '--network-plugin-endpoint': 'unix:///data/run/tkube-node-2/cni.sock',
      '--root-dir': '/data/nodes/tkube-node-2/kubelet',
      '--address': '127.0.0.1',
      '--port': '10251',
      '--node-ip': '127.0.0.1',
      '--cluster-dns': '10.96.0.10',
      '--cluster-domain': 'cluster.local',
    });
    expect(kubelet.address(context)).toBe('https://127.0.0.1:10251');
    expect(kubelet.ports(context)).toEqual({ https: 10251 });
  });
});

describe('clusterComponents', () => {
  it('starts the control plane, then runtimes, network plugins and kubelets, so down stops kubelets first', () => {
    const other = { ...node, name: 'tkube-node-1', bridge: 'tkube1', kubeletPort: 10250 };
    expect(clusterComponents([other, node]).map((c) => c.name)).toEqual([
      'nats',
      'apiserver',
      'scheduler',
      'controller-manager',
      'dns',
      'cri-tkube-node-1',
      'cri-tkube-node-2',
      'cni-tkube-node-1',
      'cni-tkube-node-2',
      'kubelet-tkube-node-1',
      'kubelet-tkube-node-2',
      'proxy-tkube-node-1',
      'proxy-tkube-node-2',
    ]);
    expect(clusterComponents([]).map((c) => c.name)).toEqual([
      'nats',
      'apiserver',
      'scheduler',
      'controller-manager',
      'dns',
    ]);
  });

  it('gives the apiserver the token it shows kubelets', async () => {
    const { args } = await apiserver.command(context);
    expect(args[args.indexOf('--kubelet-token-file') + 1]).toBe('/data/tokens.csv');
  });
});
