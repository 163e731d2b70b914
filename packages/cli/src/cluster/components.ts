/** The cluster's components, in start order. */
import { APISERVER_MAIN, CONTROLLER_MANAGER_MAIN, DNS_MAIN, SCHEDULER_MAIN } from './built-programs.js';
import { networkOf } from './cluster-network.js';
import type { Component } from './component.js';
import { findExecutable } from './executables.js';
import { healthzArgs, probeHealthzReady } from './healthz.js';
import { nodeComponents } from './node-components.js';
import { NODE_CIDR_MASK_SIZE, type NodeSettings } from './node-settings.js';
import { probeNats, probeReadyz } from './probes.js';

const LOOPBACK = '127.0.0.1';

export const nats: Component = {
  name: 'nats',
  displayName: 'NATS (JetStream)',
  async command({ dir, ports }) {
    const file = await findExecutable('nats-server', process.env.NATS_SERVER_BIN);
    if (!file) throw new Error('nats-server is not installed (deploy/install.sh installs it)');
    return { file, args: ['-js', '-sd', dir.nats, '-a', LOOPBACK, '-p', String(ports.nats), '-n', 'tkube'] };
  },
  address: ({ ports }) => `nats://${LOOPBACK}:${ports.nats}`,
  ports: ({ ports }) => ({ nats: ports.nats }),
  probe: ({ ports }) => probeNats(ports.nats, LOOPBACK),
  readyTimeoutMs: 30_000,
  stopTimeoutMs: 15_000,
};

export const apiserver: Component = {
  name: 'apiserver',
  displayName: 'the API server',
  async command({ dir, ports, network }) {
    const { serviceCidr, nodePortRange } = networkOf(network);
    return {
      // The Node running tkube (22+, from deploy/node-env.sh) runs the apiserver too.
      file: process.execPath,
      args: [
        APISERVER_MAIN,
        '--storage',
        'nats',
        '--nats-servers',
        `nats://${LOOPBACK}:${ports.nats}`,
        '--bind-address',
        LOOPBACK,
        '--secure-port',
        String(ports.apiserver),
        '--grpc-address',
        `${LOOPBACK}:${ports.grpc}`,
        '--cert-dir',
        dir.pki,
        '--token-file',
        dir.tokenFile,
        // Its first token (the admin's) is what the apiserver shows kubelets for logs and exec.
        '--kubelet-token-file',
        dir.tokenFile,
        '--service-cluster-ip-range',
        serviceCidr,
        '--service-node-port-range',
        nodePortRange,
      ],
    };
  },
  address: ({ ports }) => `https://${LOOPBACK}:${ports.apiserver}`,
  ports: ({ ports }) => ({ https: ports.apiserver, grpc: ports.grpc }),
  probe: (context) => probeReadyz(apiserver.address(context), context.dir.caCert),
  readyTimeoutMs: 60_000,
  stopTimeoutMs: 25_000,
};

export const scheduler: Component = {
  name: 'scheduler',
  displayName: 'the scheduler',
  async command({ dir, ports }) {
    return {
      file: process.execPath,
      args: [
        SCHEDULER_MAIN,
        '--apiserver-grpc',
        `${LOOPBACK}:${ports.grpc}`,
        '--token-file',
        dir.tokenFile,
        ...(await healthzArgs()),
      ],
    };
  },
  address: ({ ports }) => `grpc://${LOOPBACK}:${ports.grpc} (client)`,
  ports: () => ({}),
  // Ready once its caches are synced.
  probe: ({ dir }) => probeHealthzReady(dir.pidFileOf('scheduler')),
  readyTimeoutMs: 60_000,
  // It gives itself 15 s to finish bindings and release its Lease.
  stopTimeoutMs: 20_000,
};

export const controllerManager: Component = {
  name: 'controller-manager',
  displayName: 'the controller-manager',
  async command({ dir, ports, podEvictionTimeout, network }) {
    return {
      file: process.execPath,
      args: [
        CONTROLLER_MANAGER_MAIN,
        '--apiserver-grpc',
        `${LOOPBACK}:${ports.grpc}`,
        '--token-file',
        dir.tokenFile,
        '--cluster-cidr',
        networkOf(network).clusterCidr,
        '--node-cidr-mask-size',
        String(NODE_CIDR_MASK_SIZE),
        ...(podEvictionTimeout ? ['--pod-eviction-timeout', podEvictionTimeout] : []),
        ...(await healthzArgs()),
      ],
    };
  },
  address: ({ ports }) => `grpc://${LOOPBACK}:${ports.grpc} (client)`,
  ports: () => ({}),
  // Ready once it leads and its controllers' caches are synced.
  probe: ({ dir }) => probeHealthzReady(dir.pidFileOf('controller-manager')),
  readyTimeoutMs: 60_000,
  // It gives itself 15 s to finish syncs and release its Lease.
  stopTimeoutMs: 20_000,
};

export const dns: Component = {
  name: 'dns',
  displayName: 'the cluster DNS',
  async command({ dir, ports, network }) {
    const { dnsAddress, dnsInterface, clusterDomain } = networkOf(network);
    return {
      file: process.execPath,
      args: [
        DNS_MAIN,
        '--apiserver-grpc',
        `${LOOPBACK}:${ports.grpc}`,
        '--token-file',
        dir.tokenFile,
        '--listen-address',
        dnsAddress,
        '--interface',
        dnsInterface,
        '--cluster-domain',
        clusterDomain,
        ...(await healthzArgs()),
      ],
    };
  },
  address: ({ network }) => (network ? `dns://${network.dnsAddress}:53` : 'dns (port 53)'),
  ports: () => ({}),
  // Ready once it answers.
  probe: ({ dir }) => probeHealthzReady(dir.pidFileOf('dns')),
  readyTimeoutMs: 60_000,
  stopTimeoutMs: 15_000,
};

/** `tkube-dns --cleanup`: removes the cluster DNS's interface. */
export function dnsCleanupCommand(dnsInterface: string): { file: string; args: string[] } {
  return { file: process.execPath, args: [DNS_MAIN, '--cleanup', '--interface', dnsInterface] };
}

/** The control plane, in start order: the controllers, the scheduler and DNS need the apiserver. */
export const CONTROL_PLANE: readonly Component[] = [nats, apiserver, scheduler, controllerManager, dns];

/**
 * Start order: the control plane (NATS, the apiserver, the scheduler, the controller-manager,
 * DNS), then every node's runtime, every node's network plugin, every kubelet (a kubelet needs
 * its plugins and the apiserver), every proxy. `down` stops them in reverse: the proxies (their
 * rules stay), the kubelets, so none sees its plugins vanish, the control plane last.
 */
export function clusterComponents(nodes: readonly NodeSettings[]): Component[] {
  const perNode = nodes.map(nodeComponents);
  return [
    ...CONTROL_PLANE,
    ...perNode.map((n) => n.runtime),
    ...perNode.map((n) => n.network),
    ...perNode.map((n) => n.kubelet),
    ...perNode.map((n) => n.proxy),
  ];
}
