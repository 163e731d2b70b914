/**
 * The nodes of a cluster: how many, which runtime, and where on the host each lives (its
 * pod CIDR, bridge and kubelet port). Chosen at the first `up` and kept in DIR/cluster.json
 * with the ports: the Node objects, pod IPs and bridges that exist afterwards depend on
 * them, so a later `up` reuses them and refuses flags that would change them.
 */
import { isPortFree, pickFreePort } from './ports.js';

export type NodeRuntime = 'docker' | 'fake';
export const NODE_RUNTIMES: readonly NodeRuntime[] = ['docker', 'fake'];

/** What `tkube up` is asked for (flags, or the defaults at the first `up`). */
export interface NodeOptions {
  count: number;
  runtime: NodeRuntime;
  /** Node i of N gets 10.244.(subnetStart+i-1).0/24. */
  subnetStart: number;
  /** Node i of N gets bridge <bridgePrefix><subnetStart+i-1>. */
  bridgePrefix: string;
}

export const DEFAULT_NODE_OPTIONS: NodeOptions = { count: 1, runtime: 'docker', subnetStart: 1, bridgePrefix: 'tkube' };

/** One node as the processes that make it are started. */
export interface NodeSettings {
  name: string;
  podCIDR: string;
  bridge: string;
  kubeletPort: number;
  runtime: NodeRuntime;
}

/** What cluster.json records: the options asked for and the nodes they made. */
export interface NodePlan {
  options: NodeOptions;
  nodes: NodeSettings[];
}

export const CLUSTER_CIDR = '10.244.0.0/16';
export const FIRST_KUBELET_PORT = 10250;
/** Linux's IFNAMSIZ less the terminating NUL. */
export const MAX_INTERFACE_NAME = 15;
const MAX_SUBNET = 255;

export function nodeName(index: number): string {
  return `tkube-node-${index}`;
}

/** Why the options cannot make nodes (undefined when they can). */
export function nodeOptionsProblem(options: NodeOptions): string | undefined {
  const { count, subnetStart, bridgePrefix } = options;
  if (!Number.isInteger(count) || count < 1) return `--nodes must be 1 or more, not ${count}`;
  if (!Number.isInteger(subnetStart) || subnetStart < 0 || subnetStart > MAX_SUBNET) {
    return `--node-subnet-start must be between 0 and ${MAX_SUBNET}, not ${subnetStart}`;
  }
  const lastSubnet = subnetStart + count - 1;
  if (lastSubnet > MAX_SUBNET) {
    return `${count} node(s) from --node-subnet-start ${subnetStart} need 10.244.${lastSubnet}.0/24, past 10.244.${MAX_SUBNET}.0/24`;
  }
  if (!/^[a-zA-Z][a-zA-Z0-9_-]*$/.test(bridgePrefix)) {
    return `--bridge-prefix must be a letter followed by letters, digits, "-" or "_", not "${bridgePrefix}"`;
  }
  const longest = `${bridgePrefix}${lastSubnet}`;
  if (longest.length > MAX_INTERFACE_NAME) {
    return `bridge name "${longest}" is longer than ${MAX_INTERFACE_NAME} characters: use a shorter --bridge-prefix`;
  }
  return undefined;
}

/** Names, pod CIDRs and bridges of the nodes the options make; kubelet ports come later. */
export function planNodeLayout(options: NodeOptions): Array<Omit<NodeSettings, 'kubeletPort'>> {
  const problem = nodeOptionsProblem(options);
  if (problem) throw new Error(problem);
  return Array.from({ length: options.count }, (_, i) => {
    const subnet = options.subnetStart + i;
    return {
      name: nodeName(i + 1),
      podCIDR: `10.244.${subnet}.0/24`,
      bridge: `${options.bridgePrefix}${subnet}`,
      runtime: options.runtime,
    };
  });
}

/** The flags that ask for something else than what the cluster was made with. */
export function changedNodeOptions(requested: Partial<NodeOptions>, recorded: NodeOptions): string[] {
  const flags: Record<keyof NodeOptions, string> = {
    count: '--nodes',
    runtime: '--runtime',
    subnetStart: '--node-subnet-start',
    bridgePrefix: '--bridge-prefix',
  };
  return (Object.keys(flags) as Array<keyof NodeOptions>)
    .filter((key) => requested[key] !== undefined && requested[key] !== recorded[key])
    .map((key) => `${flags[key]} ${requested[key]} (it has ${recorded[key]})`);
}

/**
 * The nodes for this `up`: the recorded ones when there are (flags that differ are an
 * error: the caller says how to start over), else new ones from the flags and defaults.
 * New kubelets take 10250, 10251, ... or a free port when that one is taken or in `avoid`.
 */
export async function chooseNodes(
  requested: Partial<NodeOptions>,
  recorded: NodePlan | undefined,
  avoid: ReadonlySet<number>,
): Promise<NodePlan> {
  if (recorded) {
    const changed = changedNodeOptions(requested, recorded.options);
    if (changed.length > 0) throw new NodeOptionsChangedError(changed, recorded.options);
    return recorded;
  }
  const options: NodeOptions = { ...DEFAULT_NODE_OPTIONS, ...definedOnly(requested) };
  const layout = planNodeLayout(options);
  const taken = new Set(avoid);
  const nodes: NodeSettings[] = [];
  for (const [i, node] of layout.entries()) {
    const preferred = FIRST_KUBELET_PORT + i;
    const kubeletPort = !taken.has(preferred) && (await isPortFree(preferred)) ? preferred : await pickFreePort(taken);
    taken.add(kubeletPort);
    nodes.push({ ...node, kubeletPort });
  }
  return { options, nodes };
}

export class NodeOptionsChangedError extends Error {
  override name = 'NodeOptionsChangedError';
  constructor(
    readonly changed: readonly string[],
    readonly recorded: NodeOptions,
  ) {
    super(`the cluster was made with other nodes: ${changed.join(', ')}`);
  }
}

/** Reads the `nodeOptions` and `nodes` of a parsed cluster.json; undefined when absent or malformed. */
export function nodePlanOf(value: Record<string, unknown>): NodePlan | undefined {
  const options = nodeOptionsOf(value.nodeOptions);
  if (!options || !Array.isArray(value.nodes)) return undefined;
  const nodes = value.nodes.map(nodeSettingsOf);
  if (nodes.length !== options.count || nodes.some((n) => n === undefined)) return undefined;
  return { options, nodes: nodes as NodeSettings[] };
}

function nodeOptionsOf(value: unknown): NodeOptions | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { count, runtime, subnetStart, bridgePrefix } = value as Record<string, unknown>;
  if (typeof count !== 'number' || typeof subnetStart !== 'number' || typeof bridgePrefix !== 'string')
    return undefined;
  const knownRuntime = NODE_RUNTIMES.find((r) => r === runtime);
  if (!knownRuntime) return undefined;
  const options = { count, runtime: knownRuntime, subnetStart, bridgePrefix };
  return nodeOptionsProblem(options) ? undefined : options;
}

function nodeSettingsOf(value: unknown): NodeSettings | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { name, podCIDR, bridge, kubeletPort, runtime } = value as Record<string, unknown>;
  const knownRuntime = NODE_RUNTIMES.find((r) => r === runtime);
  if (typeof name !== 'string' || typeof podCIDR !== 'string' || typeof bridge !== 'string') return undefined;
  if (typeof kubeletPort !== 'number' || !Number.isInteger(kubeletPort) || kubeletPort < 1 || kubeletPort > 65535) {
    return undefined;
  }
  if (!knownRuntime) return undefined;
  return { name, podCIDR, bridge, kubeletPort, runtime: knownRuntime };
}

function definedOnly<T extends object>(value: Partial<T>): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
