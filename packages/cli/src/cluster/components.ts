/** The cluster's components, in start order. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Component } from './component.js';
import { findExecutable } from './executables.js';
import { probeNats, probeReadyz } from './probes.js';
import { REPO_ROOT } from './repo-root.js';

const LOOPBACK = '127.0.0.1';
export const APISERVER_MAIN = join(REPO_ROOT, 'services', 'apiserver', 'dist', 'main.js');

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
    if (!existsSync(APISERVER_MAIN)) throw new Error(`${APISERVER_MAIN} is missing: run "npm run build" first`);
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
      ],
    };
  },
  address: ({ ports }) => `https://${LOOPBACK}:${ports.apiserver}`,
  ports: ({ ports }) => ({ https: ports.apiserver, grpc: ports.grpc }),
  probe: (context) => probeReadyz(apiserver.address(context), context.dir.caCert),
  readyTimeoutMs: 60_000,
  stopTimeoutMs: 25_000,
};

/** Start order; `down` stops them in reverse. */
export const COMPONENTS: readonly Component[] = [nats, apiserver];
