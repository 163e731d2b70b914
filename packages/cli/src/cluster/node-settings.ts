/**
 * The nodes of a cluster: how many, which runtime, the range their pods' addresses come
 * from, and where on the host each lives (its bridge and kubelet port). Chosen at the first
 * `up` and kept in DIR/cluster.json with the ports: the Node objects, pod IPs and bridges
 * that exist afterwards depend on them, so a later `up` reuses them and refuses flags that
 * would change them. Each node's own block of the range (its podCIDR) is not chosen here:
 * the controller-manager's node IPAM gives it when the node registers.
 */
import { formatCidr, parseCidr } from '@tkube/process';
import { isPortFree, pickFreePort } from './ports.js';

export type NodeRuntime = 'docker' | 'fake';
export const NODE_RUNTIMES: readonly NodeRuntime[] = ['docker', 'fake'];

/** What `tkube up` is asked for (flags, or the defaults at the first `up`). */
export interface NodeOptions {
  count: number;
  runtime: NodeRuntime;
  /** The pods' range (kubeadm's --pod-network-cidr); node IPAM gives each node a /24 of it. */
  clusterCidr: string;
  /** Node i of N gets bridge <bridgePrefix><i>; the cluster DNS's interface is <bridgePrefix>dns. */
  bridgePrefix: string;
  /** The Services' range (kubeadm's --service-cidr): ClusterIPs, the API's first, DNS's tenth. */
  serviceCidr: string;
  /** NodePorts come from here, "30000-32767". */
  nodePortRange: string;
}

export const CLUSTER_CIDR = '10.244.0.0/16';
export const SERVICE_CIDR = '10.96.0.0/12';
export const NODE_PORT_RANGE = '30000-32767';
export const DEFAULT_NODE_OPTIONS: NodeOptions = {
  count: 1,
  runtime: 'docker',
  clusterCidr: CLUSTER_CIDR,
  bridgePrefix: 'tkube',
  serviceCidr: SERVICE_CIDR,
  nodePortRange: NODE_PORT_RANGE,
};

/** One node as the processes that make it are started. */
export interface NodeSettings {
  name: string;
  bridge: string;
  kubeletPort: number;
  runtime: NodeRuntime;
  /** The cluster's pod range: the network plugin masquerades what leaves it. */
  clusterCidr: string;
}

/** What cluster.json records: the options asked for and the nodes they made. */
export interface NodePlan {
  options: NodeOptions;
  nodes: NodeSettings[];
}

/** Each node's block of the cluster range (the controller-manager's --node-cidr-mask-size). */
export const NODE_CIDR_MASK_SIZE = 24;
export const FIRST_KUBELET_PORT = 10250;
/** Linux's IFNAMSIZ less the terminating NUL. */
export const MAX_INTERFACE_NAME = 15;

export function nodeName(index: number): string {
  return `tkube-node-${index}`;
}

/** Why the options cannot make nodes (undefined when they can). */
export function nodeOptionsProblem(options: NodeOptions): string | undefined {
  const { count, clusterCidr, bridgePrefix, serviceCidr, nodePortRange } = options;
  if (!Number.isInteger(count) || count < 1) return `--nodes must be 1 or more, not ${count}`;
  const range = parseCidr(clusterCidr);
  if (!range || range.prefixLength < 8 || range.prefixLength > NODE_CIDR_MASK_SIZE) {
    return `--cluster-cidr must be an IPv4 network block from /8 to /${NODE_CIDR_MASK_SIZE} (such as ${CLUSTER_CIDR}), not "${clusterCidr}"`;
  }
  const blocks = 2 ** (NODE_CIDR_MASK_SIZE - range.prefixLength);
  if (count > blocks) {
    return `--cluster-cidr ${clusterCidr} holds ${blocks} node block(s) of /${NODE_CIDR_MASK_SIZE}, not ${count}`;
  }
  const services = parseCidr(serviceCidr);
  // The tenth address is the cluster DNS's: a range must hold it.
  if (!services || services.prefixLength < 8 || services.prefixLength > 28) {
    return `--service-cidr must be an IPv4 network block from /8 to /28 (such as ${SERVICE_CIDR}), not "${serviceCidr}"`;
  }
  if (overlaps(range, services)) {
    return `--cluster-cidr ${clusterCidr} overlaps the Service range ${formatCidr(services)}`;
  }
  if (!portRangeOf(nodePortRange)) {
    return `--service-node-port-range must be two ports "low-high" (such as ${NODE_PORT_RANGE}), not "${nodePortRange}"`;
  }
  if (!/^[a-zA-Z][a-zA-Z0-9_-]*$/.test(bridgePrefix)) {
    return `--bridge-prefix must be a letter followed by letters, digits, "-" or "_", not "${bridgePrefix}"`;
  }
  for (const longest of [`${bridgePrefix}${count}`, `${bridgePrefix}dns`]) {
    if (longest.length > MAX_INTERFACE_NAME) {
      return `interface name "${longest}" is longer than ${MAX_INTERFACE_NAME} characters: use a shorter --bridge-prefix`;
    }
  }
  return undefined;
}

/** "30000-32767" as its two ends; undefined unless 1 <= low <= high <= 65535. */
export function portRangeOf(text: string): { low: number; high: number } | undefined {
  const match = /^(\d{1,5})-(\d{1,5})$/.exec(text);
  const [low, high] = [Number(match?.[1]), Number(match?.[2])];
  if (!match || low < 1 || high > 65535 || low > high) return undefined;
  return { low, high };
}

function overlaps(a: { network: number; prefixLength: number }, b: { network: number; prefixLength: number }): boolean {
  const shorter = Math.min(a.prefixLength, b.prefixLength);
  const mask = shorter === 0 ? 0 : (~0 << (32 - shorter)) >>> 0;
  return (a.network & mask) >>> 0 === (b.network & mask) >>> 0;
}

/** Names and bridges of the nodes the options make; kubelet ports come later. */
export function planNodeLayout(options: NodeOptions): Array<Omit<NodeSettings, 'kubeletPort'>> {
  const problem = nodeOptionsProblem(options);
  if (problem) throw new Error(problem);
  return Array.from({ length: options.count }, (_, i) => ({
    name: nodeName(i + 1),
    bridge: `${options.bridgePrefix}${i + 1}`,
    runtime: options.runtime,
    clusterCidr: options.clusterCidr,
  }));
}

/** The flags that ask for something else than what the cluster was made with. */
export function changedNodeOptions(requested: Partial<NodeOptions>, recorded: NodeOptions): string[] {
  const flags: Record<keyof NodeOptions, string> = {
    count: '--nodes',
    runtime: '--runtime',
    clusterCidr: '--cluster-cidr',
    serviceCidr: '--service-cidr',
    nodePortRange: '--service-node-port-range',
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
  const { count, runtime, bridgePrefix, serviceCidr, nodePortRange } = value as Record<string, unknown>;
  const clusterCidr = clusterCidrOf(value);
  if (typeof count !== 'number' || clusterCidr === undefined || typeof bridgePrefix !== 'string') return undefined;
  const knownRuntime = NODE_RUNTIMES.find((r) => r === runtime);
  if (!knownRuntime) return undefined;
  // Absent in a cluster.json from before Services had a range of their own: the defaults.
  const options = {
    count,
    runtime: knownRuntime,
    clusterCidr,
    bridgePrefix,
    serviceCidr: typeof serviceCidr === 'string' ? serviceCidr : SERVICE_CIDR,
    nodePortRange: typeof nodePortRange === 'string' ? nodePortRange : NODE_PORT_RANGE,
  };
  return nodeOptionsProblem(options) ? undefined : options;
}

function nodeSettingsOf(value: unknown): NodeSettings | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { name, bridge, kubeletPort, runtime } = value as Record<string, unknown>;
  const clusterCidr = clusterCidrOf(value);
  const knownRuntime = NODE_RUNTIMES.find((r) => r === runtime);
  if (typeof name !== 'string' || clusterCidr === undefined || typeof bridge !== 'string') return undefined;
  if (typeof kubeletPort !== 'number' || !Number.isInteger(kubeletPort) || kubeletPort < 1 || kubeletPort > 65535) {
    return undefined;
  }
  if (!knownRuntime) return undefined;
  return { name, bridge, kubeletPort, runtime: knownRuntime, clusterCidr };
}

/**
 * The recorded cluster range. A cluster.json from before node IPAM (nodes with a
 * subnetStart or a podCIDR of their own) had its blocks in the default range: read as
 * that, such a cluster still starts (its Nodes keep their podCIDRs) and purges.
 */
function clusterCidrOf(value: object): string | undefined {
  const { clusterCidr, subnetStart, podCIDR } = value as Record<string, unknown>;
  if (typeof clusterCidr === 'string') return clusterCidr;
  return subnetStart !== undefined || podCIDR !== undefined ? CLUSTER_CIDR : undefined;
}

function definedOnly<T extends object>(value: Partial<T>): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
