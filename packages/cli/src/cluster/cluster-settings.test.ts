import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { choosePorts, DEFAULT_PORTS, readClusterSettings, writeClusterSettings } from './cluster-settings.js';
import { DEFAULT_NODE_OPTIONS } from './node-settings.js';
import { isPortFree } from './ports.js';

async function occupy(port: number): Promise<Server> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return server;
}

describe('choosePorts', () => {
  it('takes flags first, then the recorded ports', async () => {
    const recorded = { apiserver: 16443, grpc: 16444, nats: 14222 };
    expect(await choosePorts({ nats: 24222 }, recorded)).toEqual({ apiserver: 16443, grpc: 16444, nats: 24222 });
  });

  it('replaces a taken default with a free port', async () => {
    // 4222 is taken either by this test or already by someone else.
    const server = (await isPortFree(DEFAULT_PORTS.nats)) ? await occupy(DEFAULT_PORTS.nats) : undefined;
    try {
      const ports = await choosePorts({ apiserver: 16443, grpc: 16444 }, undefined);
      expect(ports.nats).not.toBe(DEFAULT_PORTS.nats);
      expect(await isPortFree(ports.nats)).toBe(true);
    } finally {
      server?.close();
    }
  });

  it('refuses the same port twice', async () => {
    await expect(choosePorts({ apiserver: 20000, grpc: 20000, nats: 20001 }, undefined)).rejects.toThrow(/must differ/);
  });
});

describe('cluster settings file', () => {
  it('round-trips and names a broken file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tkube-settings-'));
    try {
      const path = join(dir, 'cluster.json');
      expect(await readClusterSettings(path)).toBeUndefined();
      await writeClusterSettings(path, { ports: { apiserver: 1, grpc: 2, nats: 3 } });
      expect(await readClusterSettings(path)).toEqual({ ports: { apiserver: 1, grpc: 2, nats: 3 } });
      await writeFile(path, '{"ports":{"apiserver":"x"}}');
      await expect(readClusterSettings(path)).rejects.toThrow(/cluster.json does not hold the cluster's ports/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('keeps the nodes beside the ports, as nodeOptions and nodes', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tkube-settings-'));
    try {
      const path = join(dir, 'cluster.json');
      const nodes = {
        options: {
          ...DEFAULT_NODE_OPTIONS,
          count: 1,
          runtime: 'fake' as const,
          clusterCidr: '10.244.4.0/22',
          bridgePrefix: 'tkt',
        },
        nodes: [
          {
            name: 'tkube-node-1',
            clusterCidr: '10.244.4.0/22',
            bridge: 'tkt7',
            kubeletPort: 10250,
            runtime: 'fake' as const,
          },
        ],
      };
      await writeClusterSettings(path, { ports: { apiserver: 1, grpc: 2, nats: 3 }, nodes });
      const json = JSON.parse(await readFile(path, 'utf8'));
      expect(json.nodeOptions).toEqual(nodes.options);
      expect(json.nodes).toEqual(nodes.nodes);
      expect(await readClusterSettings(path)).toEqual({ ports: { apiserver: 1, grpc: 2, nats: 3 }, nodes });

      await writeClusterSettings(path, { ports: { apiserver: 1, grpc: 2, nats: 3 }, nodes, podEvictionTimeout: '20s' });
      expect(await readClusterSettings(path)).toMatchObject({ nodes, podEvictionTimeout: '20s' });

      await writeFile(path, JSON.stringify({ ...json, nodes: [{ ...json.nodes[0], kubeletPort: 'x' }] }));
      await expect(readClusterSettings(path)).rejects.toThrow(/does not hold valid nodeOptions and nodes/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
