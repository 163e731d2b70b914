/** The cluster's components, in start order. */
import { APISERVER_MAIN, CONTROLLER_MANAGER_MAIN, SCHEDULER_MAIN } from './built-programs.js';
import type { Component } from './component.js';
import { findExecutable } from './executables.js';
import { probeLogLine } from './log-probe.js';
import { nodeComponents } from './node-components.js';
import { CLUSTER_CIDR, NODE_CIDR_MASK_SIZE, type NodeSettings } from './node-settings.js';
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
  async command({ dir, ports }) {
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
      ],
    };
  },
  address: ({ ports }) => `https://${LOOPBACK}:${ports.apiserver}`,
  ports: ({ ports }) => ({ https: ports.apiserver, grpc: ports.grpc }),
  probe: (context) => probeReadyz(apiserver.address(context), context.dir.caCert),
  readyTimeoutMs: 60_000,
  stopTimeoutMs: 25_000,
};

/** What the scheduler logs once its caches are filled; it serves no /healthz, so this is its readiness. */
export const SCHEDULER_READY_MESSAGE = 'caches synced';

export const scheduler: Component = {
  name: 'scheduler',
  displayName: 'the scheduler',
  async command({ dir, ports }) {
    return {
      file: process.execPath,
      args: [SCHEDULER_MAIN, '--apiserver-grpc', `${LOOPBACK}:${ports.grpc}`, '--token-file', dir.tokenFile],
    };
  },
  address: ({ ports }) => `grpc://${LOOPBACK}:${ports.grpc} (client)`,
  ports: () => ({}),
  probe: ({ dir }) => probeLogLine(dir.logOf('scheduler'), dir.pidFileOf('scheduler'), SCHEDULER_READY_MESSAGE),
  readyTimeoutMs: 60_000,
  // It gives itself 15 s to finish bindings and release its Lease.
  stopTimeoutMs: 20_000,
};

/** What the controller-manager logs once it leads and its caches are filled: its readiness. */
export const CONTROLLER_MANAGER_READY_MESSAGE = 'controller caches synced';

export const controllerManager: Component = {
  name: 'controller-manager',
  displayName: 'the controller-manager',
  async command({ dir, ports, podEvictionTimeout, clusterCidr }) {
    return {
      file: process.execPath,
      args: [
        CONTROLLER_MANAGER_MAIN,
        '--apiserver-grpc',
        `${LOOPBACK}:${ports.grpc}`,
        '--token-file',
        dir.tokenFile,
        '--cluster-cidr',
        clusterCidr ?? CLUSTER_CIDR,
        '--node-cidr-mask-size',
        String(NODE_CIDR_MASK_SIZE),
        ...(podEvictionTimeout ? ['--pod-eviction-timeout', podEvictionTimeout] : []),
      ],
    };
  },
  address: ({ ports }) => `grpc://${LOOPBACK}:${ports.grpc} (client)`,
  ports: () => ({}),
  probe: ({ dir }) =>
    probeLogLine(
      dir.logOf('controller-manager'),
      dir.pidFileOf('controller-manager'),
      CONTROLLER_MANAGER_READY_MESSAGE,
    ),
  readyTimeoutMs: 60_000,
  // It gives itself 15 s to finish syncs and release its Lease.
  stopTimeoutMs: 20_000,
};

/** The control plane, in start order: the controllers and the scheduler need the apiserver. */
export const CONTROL_PLANE: readonly Component[] = [nats, apiserver, scheduler, controllerManager];

/**
 * Start order: the control plane (NATS, the apiserver, the scheduler, the controller-manager),
 * then every node's runtime, every node's network plugin, every kubelet (a kubelet needs its
 * plugins and the apiserver). `down` stops them in reverse: the kubelets first, so none sees
 * its plugins vanish, the control plane last.
 */
export function clusterComponents(nodes: readonly NodeSettings[]): Component[] {
  const perNode = nodes.map(nodeComponents);
  return [
    ...CONTROL_PLANE,
    ...perNode.map((n) => n.runtime),
    ...perNode.map((n) => n.network),
    ...perNode.map((n) => n.kubelet),
  ];
}
