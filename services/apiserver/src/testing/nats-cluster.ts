/**
 * A real NATS JetStream cluster for fault tests: `size` nats-server processes on
 * 127.0.0.1, each with free client, route and monitoring ports, its own store directory
 * and a `server_name` (the name stream info reports as a raft group's leader), routed to
 * each other. It resolves once every node reports healthy JetStream and all agree on one
 * meta leader, so a replicated stream can be created at once.
 *
 * A node can be killed (SIGKILL, as a crash) and restarted on the same ports and data;
 * restart() resolves once the node is healthy again, i.e. has caught up with the meta
 * leader and with every stream it holds a replica of.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_NATS_BINARY, freePort, LOOPBACK, spawnNatsServer, terminate } from './nats-process.js';

export interface NatsClusterOptions {
  /** Servers in the cluster (default 3). */
  size?: number;
  /** The binary (default: NATS_SERVER_BIN, else /usr/sbin/nats-server). */
  binary?: string;
  /** How long startup and each restart may take to become healthy (default 60 s). */
  readyTimeoutMs?: number;
}

export interface NatsClusterNode {
  /** The server_name: what stream info's `cluster.leader` names. */
  name: string;
  url: string;
  /** The HTTP monitoring endpoint (/healthz, /jsz, /connz). */
  monitorUrl: string;
  /** Kills the server (SIGKILL), keeping its data for restart(). */
  kill(): Promise<void>;
  /** Starts the server again on the same ports and data; resolves once it is healthy. */
  restart(): Promise<void>;
  /** Stops the server (SIGTERM), keeping its data until the cluster is stopped. */
  stop(): Promise<void>;
}

export interface NatsClusterHandle {
  /** Every node's client URL, in node order. */
  urls: string[];
  nodes: NatsClusterNode[];
  /** Stops every node and removes the configs and data. */
  stop(): Promise<void>;
}

interface NodePorts {
  client: number;
  route: number;
  monitor: number;
}

const CLUSTER_NAME = 'tkube-test';
const DEFAULT_READY_TIMEOUT_MS = 60_000;
const POLL_INTERVAL_MS = 200;
const PROBE_TIMEOUT_MS = 2_000;

export async function startNatsCluster(options: NatsClusterOptions = {}): Promise<NatsClusterHandle> {
  const size = options.size ?? 3;
  if (!Number.isInteger(size) || size < 1) throw new Error(`a cluster needs at least one server, not ${size}`);
  const binary = options.binary ?? process.env.NATS_SERVER_BIN ?? DEFAULT_NATS_BINARY;
  const readyTimeoutMs = options.readyTimeoutMs ?? DEFAULT_READY_TIMEOUT_MS;
  const dir = await mkdtemp(join(tmpdir(), 'tkube-nats-cluster-'));
  const processes: (ChildProcess | undefined)[] = [];
  const halt = async (index: number, signal: NodeJS.Signals) => {
    const child = processes[index];
    processes[index] = undefined;
    if (child) await terminate(child, signal);
  };
  const haltAll = () => Promise.all(processes.map((_, index) => halt(index, 'SIGTERM')));

  try {
    const ports = await allocatePorts(size);
    const names = ports.map((_, index) => `n${index + 1}`);
    const configs = await Promise.all(
      ports.map(async (own, index) => {
        const storeDir = join(dir, names[index]);
        await mkdir(storeDir);
        const config = join(dir, `${names[index]}.conf`);
        const routes = ports.filter((other) => other !== own).map((other) => other.route);
        await writeFile(config, nodeConfig(names[index], own, routes, storeDir));
        return config;
      }),
    );
    const startNode = async (index: number) => {
      processes[index] = await spawnNatsServer(binary, ['-c', configs[index]], names[index]);
    };
    const monitorUrls = ports.map((p) => `http://${LOOPBACK}:${p.monitor}`);

    // Every server must run before any can elect a meta leader: start them together.
    const started = await Promise.allSettled(names.map((_, index) => startNode(index)));
    const failed = started.find((result) => result.status === 'rejected');
    if (failed) throw failed.reason;
    await waitForMetaLeader(monitorUrls, readyTimeoutMs);

    const nodes = names.map(
      (name, index): NatsClusterNode => ({
        name,
        url: `nats://${LOOPBACK}:${ports[index].client}`,
        monitorUrl: monitorUrls[index],
        kill: () => halt(index, 'SIGKILL'),
        stop: () => halt(index, 'SIGTERM'),
        async restart() {
          await halt(index, 'SIGTERM');
          await startNode(index);
          await waitUntil(`${name} healthy after its restart`, readyTimeoutMs, () => healthy(monitorUrls[index]));
        },
      }),
    );
    let stopped = false;
    return {
      urls: nodes.map((node) => node.url),
      nodes,
      async stop() {
        if (stopped) return;
        stopped = true;
        await haltAll();
        await rm(dir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    await haltAll();
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
}

/** nats-server 2.9 configuration of one node (see deploy/ha/ for the production shape). */
function nodeConfig(name: string, ports: NodePorts, routePorts: number[], storeDir: string): string {
  const routes = routePorts.map((port) => `    "nats-route://${LOOPBACK}:${port}"`).join('\n');
  return `server_name: "${name}"
host: "${LOOPBACK}"
port: ${ports.client}
http: "${LOOPBACK}:${ports.monitor}"

jetstream {
  store_dir: "${storeDir}"
}

cluster {
  name: "${CLUSTER_NAME}"
  host: "${LOOPBACK}"
  port: ${ports.route}
  routes: [
${routes}
  ]
}
`;
}

/** Healthy JetStream everywhere, and every server names the same meta leader. */
async function waitForMetaLeader(monitorUrls: string[], timeoutMs: number): Promise<void> {
  await waitUntil('a JetStream meta leader', timeoutMs, async () => {
    const health = await Promise.all(monitorUrls.map(healthy));
    if (!health.every(Boolean)) return false;
    const leaders = await Promise.all(monitorUrls.map(metaLeader));
    return leaders[0] !== undefined && leaders.every((leader) => leader === leaders[0]);
  });
}

/**
 * /healthz answers 200 once the server accepts clients, knows the meta leader and holds a
 * current copy of every stream and consumer placed on it.
 */
async function healthy(monitorUrl: string): Promise<boolean> {
  try {
    const response = await fetch(`${monitorUrl}/healthz`, { signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) });
    await response.body?.cancel();
    return response.ok;
  } catch {
    return false;
  }
}

/** The meta leader's server_name as this server sees it; undefined when there is none. */
async function metaLeader(monitorUrl: string): Promise<string | undefined> {
  try {
    const response = await fetch(`${monitorUrl}/jsz`, { signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) });
    if (!response.ok) return undefined;
    const body: unknown = await response.json();
    const meta = isRecord(body) ? body.meta_cluster : undefined;
    const leader = isRecord(meta) ? meta.leader : undefined;
    return typeof leader === 'string' && leader !== '' ? leader : undefined;
  } catch {
    return undefined;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

async function waitUntil(what: string, timeoutMs: number, check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`nats cluster: no ${what} within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, POLL_INTERVAL_MS));
  }
}

/** Three distinct free ports per server. */
async function allocatePorts(size: number): Promise<NodePorts[]> {
  const taken = new Set<number>();
  const next = async () => {
    for (let attempt = 0; attempt < 20; attempt++) {
      const port = await freePort();
      if (!taken.has(port)) {
        taken.add(port);
        return port;
      }
    }
    throw new Error('no distinct free port found');
  };
  const ports: NodePorts[] = [];
  for (let i = 0; i < size; i++) ports.push({ client: await next(), route: await next(), monitor: await next() });
  return ports;
}
