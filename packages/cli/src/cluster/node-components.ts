/**
 * The three processes of one node, in start order: its container runtime (cri-docker, or
 * cri-fake), its network plugin (cni-bridge) and its kubelet. The plugins serve on unix
 * sockets under DIR/run/<node>/ and keep their state under DIR/nodes/<node>/; the kubelet
 * is pointed at both, at the apiserver's gRPC port, and serves logs and exec on its port.
 * The network plugin also removes what it made, run once with --teardown by `down --purge`.
 */
import { readFile } from 'node:fs/promises';
import { CNI_BRIDGE_MAIN, CRI_DOCKER_MAIN, CRI_FAKE_MAIN, KUBELET_MAIN, PROXY_MAIN } from './built-programs.js';
import { networkOf } from './cluster-network.js';
import type { ClusterContext, Component } from './component.js';
import type { DataDir } from './data-dir.js';
import { healthzArgs, probeHealthzReady } from './healthz.js';
import type { NodeSettings } from './node-settings.js';
import { probeKubeletHealthz, probeUnixSocket } from './probes.js';

const LOOPBACK = '127.0.0.1';
export const DOCKER_SOCKET = '/var/run/docker.sock';
export const PAUSE_IMAGE = 'tkube/pause:3.10';

export interface NodeComponents {
  runtime: Component;
  network: Component;
  kubelet: Component;
  proxy: Component;
}

/** tkube-proxy's --instance: its chains and jumps carry it, apart from other nodes' on this host. */
export function proxyInstance(node: NodeSettings): string {
  return `${node.name}@${node.bridge}`;
}

/**
 * cri-docker's --instance: the containers it sees. Bridge names are unique on a host (two
 * clusters cannot share one), so the pair keeps apart two clusters' "tkube-node-1"s on one
 * Docker engine: a test cluster's kubelet never adopts or removes a user's pods.
 */
export function runtimeInstance(node: NodeSettings): string {
  return `${node.name}@${node.bridge}`;
}

/**
 * The network plugin run that removes the node's veths, iptables chains, bridge and IPAM
 * state, printing a JSON report. The cluster's pod range lets it refuse a bridge of another
 * network (its own block, whichever node IPAM gave, lies inside the range).
 */
export function networkTeardownCommand(node: NodeSettings, dir: DataDir): { file: string; args: string[] } {
  return {
    file: process.execPath,
    args: [
      CNI_BRIDGE_MAIN,
      '--teardown',
      '--bridge',
      node.bridge,
      '--pod-cidr',
      node.clusterCidr,
      '--state-dir',
      dir.nodeOf(node.name).cniState,
      '--output',
      'json',
    ],
  };
}

export function nodeComponents(node: NodeSettings): NodeComponents {
  const socketUrl = (path: string) => `unix://${path}`;

  const runtime: Component = {
    name: `cri-${node.name}`,
    displayName: `the ${node.runtime} runtime of ${node.name}`,
    async command({ dir }) {
      const paths = dir.nodeOf(node.name);
      if (node.runtime === 'fake') {
        return {
          file: process.execPath,
          // Its pod CIDR comes from the kubelet (UpdateRuntimeConfig) once node IPAM gave one.
          args: [CRI_FAKE_MAIN, '--listen', socketUrl(paths.criSocket)],
        };
      }
      return {
        file: process.execPath,
        args: [
          CRI_DOCKER_MAIN,
          '--listen',
          socketUrl(paths.criSocket),
          '--docker-socket',
          DOCKER_SOCKET,
          '--pause-image',
          PAUSE_IMAGE,
          '--root-dir',
          paths.criRoot,
          '--streaming-address',
          `${LOOPBACK}:0`,
          '--instance',
          runtimeInstance(node),
        ],
      };
    },
    address: ({ dir }) => socketUrl(dir.nodeOf(node.name).criSocket),
    ports: () => ({}),
    probe: ({ dir }) => probeUnixSocket(dir.nodeOf(node.name).criSocket),
    readyTimeoutMs: 30_000,
    stopTimeoutMs: 15_000,
  };

  const network: Component = {
    name: `cni-${node.name}`,
    displayName: `the network plugin of ${node.name}`,
    async command({ dir }) {
      const paths = dir.nodeOf(node.name);
      return {
        file: process.execPath,
        args: [
          CNI_BRIDGE_MAIN,
          '--listen',
          socketUrl(paths.cniSocket),
          '--bridge',
          node.bridge,
          // No --pod-cidr: the kubelet passes the block node IPAM gave (CNI ipRanges).
          '--cluster-cidr',
          node.clusterCidr,
          '--state-dir',
          paths.cniState,
        ],
      };
    },
    address: ({ dir }) => socketUrl(dir.nodeOf(node.name).cniSocket),
    ports: () => ({}),
    probe: ({ dir }) => probeUnixSocket(dir.nodeOf(node.name).cniSocket),
    readyTimeoutMs: 30_000,
    stopTimeoutMs: 15_000,
  };

  const kubelet: Component = {
    name: `kubelet-${node.name}`,
    displayName: `the kubelet of ${node.name}`,
    async command({ dir, ports, network }) {
      const paths = dir.nodeOf(node.name);
      const { dnsAddress, clusterDomain } = networkOf(network);
      return {
        file: process.execPath,
        args: [
          KUBELET_MAIN,
          '--node-name',
          node.name,
          '--apiserver-grpc',
          `${LOOPBACK}:${ports.grpc}`,
          '--token-file',
          dir.tokenFile,
          '--container-runtime-endpoint',
          socketUrl(paths.criSocket),
          '--network-plugin-endpoint',
          socketUrl(paths.cniSocket),
          '--root-dir',
          paths.kubeletRoot,
          '--address',
          LOOPBACK,
          '--port',
          String(node.kubeletPort),
          '--node-ip',
          LOOPBACK,
          '--cluster-dns',
          dnsAddress,
          '--cluster-domain',
          clusterDomain,
        ],
      };
    },
    address: () => `https://${LOOPBACK}:${node.kubeletPort}`,
    ports: () => ({ https: node.kubeletPort }),
    probe: (context) => probeKubelet(node, context),
    readyTimeoutMs: 60_000,
    // The kubelet gives itself 20 s to stop.
    stopTimeoutMs: 25_000,
  };

  const proxy: Component = {
    name: `proxy-${node.name}`,
    displayName: `the proxy of ${node.name}`,
    async command({ dir, ports }) {
      return {
        file: process.execPath,
        args: [
          PROXY_MAIN,
          '--apiserver-grpc',
          `${LOOPBACK}:${ports.grpc}`,
          '--token-file',
          dir.tokenFile,
          '--hostname-override',
          node.name,
          '--instance',
          proxyInstance(node),
          '--cluster-cidr',
          node.clusterCidr,
          ...(await healthzArgs()),
        ],
      };
    },
    address: () => `iptables (instance ${proxyInstance(node)})`,
    ports: () => ({}),
    // Ready once its first rules are written.
    probe: ({ dir }) => probeHealthzReady(dir.pidFileOf(`proxy-${node.name}`)),
    readyTimeoutMs: 60_000,
    // Its rules stay when it stops: traffic flows on.
    stopTimeoutMs: 15_000,
  };

  return { runtime, network, kubelet, proxy };
}

/** `tkube-proxy --cleanup`: removes every chain and jump of the node's proxy. */
export function proxyCleanupCommand(node: NodeSettings): { file: string; args: string[] } {
  return { file: process.execPath, args: [PROXY_MAIN, '--cleanup', '--instance', proxyInstance(node)] };
}

async function probeKubelet(node: NodeSettings, { dir }: ClusterContext): Promise<boolean> {
  let token: string;
  try {
    token = (await readFile(dir.token, 'utf8')).trim();
  } catch {
    return false;
  }
  return probeKubeletHealthz(node.kubeletPort, token, LOOPBACK);
}
