/**
 * The ports a cluster uses, chosen at its first `up` and kept in DIR/cluster.json so that
 * later `up`s reuse them (the kubeconfig's server URL stays right). A default port that is
 * taken at the first `up` is replaced by a free one; a port given by flag must be free.
 * The nodes (node-settings.ts) are kept beside them, as `nodeOptions` and `nodes`.
 */
import { readIfExists, writeFileAtomic } from './files.js';
import { type NodePlan, nodePlanOf } from './node-settings.js';
import { isPortFree, pickFreePort } from './ports.js';

export interface Ports {
  /** The apiserver's HTTPS port (kubectl talks to it). */
  apiserver: number;
  /** The apiserver's gRPC port (components talk to it). */
  grpc: number;
  nats: number;
}

export const DEFAULT_PORTS: Ports = { apiserver: 6443, grpc: 6444, nats: 4222 };

export interface ClusterSettings {
  ports: Ports;
  /** Absent in a cluster.json written before tkube ran nodes: the next `up` adds them. */
  nodes?: NodePlan;
  /** `tkube up --pod-eviction-timeout`, kept so that a later `up` starts the controller-manager alike. */
  podEvictionTimeout?: string;
}

export async function readClusterSettings(path: string): Promise<ClusterSettings | undefined> {
  const text = await readIfExists(path);
  if (text === undefined) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new Error(`${path} is not valid JSON; fix or remove it`);
  }
  const ports = portsOf(parsed);
  if (!ports) throw new Error(`${path} does not hold the cluster's ports (apiserver, grpc, nats); fix or remove it`);
  const record = parsed as Record<string, unknown>;
  const podEvictionTimeout =
    typeof record.podEvictionTimeout === 'string' ? { podEvictionTimeout: record.podEvictionTimeout } : {};
  if (record.nodes === undefined && record.nodeOptions === undefined) return { ports, ...podEvictionTimeout };
  const nodes = nodePlanOf(record);
  if (!nodes) throw new Error(`${path} does not hold valid nodeOptions and nodes; fix or remove it`);
  return { ports, nodes, ...podEvictionTimeout };
}

export async function writeClusterSettings(path: string, settings: ClusterSettings): Promise<void> {
  const { ports, nodes, podEvictionTimeout } = settings;
  const json = {
    ports,
    ...(nodes ? { nodeOptions: nodes.options, nodes: nodes.nodes } : {}),
    ...(podEvictionTimeout ? { podEvictionTimeout } : {}),
  };
  await writeFileAtomic(path, `${JSON.stringify(json, null, 2)}\n`);
}

/**
 * The ports for this `up`: flags win, then the recorded ones, then the defaults (or free
 * ports when a default is taken). Only ports that will be newly bound are checked.
 */
export async function choosePorts(requested: Partial<Ports>, recorded: Ports | undefined): Promise<Ports> {
  const chosen: Partial<Ports> = {};
  const taken = new Set<number>();
  for (const name of ['apiserver', 'grpc', 'nats'] as const) {
    const wanted = requested[name] ?? recorded?.[name];
    if (wanted !== undefined) {
      chosen[name] = wanted;
    } else {
      const preferred = DEFAULT_PORTS[name];
      chosen[name] = !taken.has(preferred) && (await isPortFree(preferred)) ? preferred : await pickFreePort(taken);
    }
    taken.add(chosen[name] ?? 0);
  }
  const ports = chosen as Ports;
  if (new Set([ports.apiserver, ports.grpc, ports.nats]).size !== 3) {
    throw new Error(`the ports must differ: apiserver ${ports.apiserver}, grpc ${ports.grpc}, nats ${ports.nats}`);
  }
  return ports;
}

function portsOf(value: unknown): Ports | undefined {
  if (typeof value !== 'object' || value === null || !('ports' in value)) return undefined;
  const ports = value.ports;
  if (typeof ports !== 'object' || ports === null) return undefined;
  const record = ports as Record<string, unknown>;
  const { apiserver, grpc, nats } = record;
  if (!isPort(apiserver) || !isPort(grpc) || !isPort(nats)) return undefined;
  return { apiserver, grpc, nats };
}

function isPort(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value > 0 && value < 65536;
}
