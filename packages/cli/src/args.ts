/** The `tkube` command line: a command, then its flags ("--flag value" or "--flag=value"). */
import { parseArgs } from 'node:util';
import { durationMs } from '@tkube/process';
import type { Ports } from './cluster/cluster-settings.js';
import { DEFAULT_DATA_DIR } from './cluster/data-dir.js';
import { DEFAULT_NODE_OPTIONS, NODE_RUNTIMES, type NodeOptions, nodeOptionsProblem } from './cluster/node-settings.js';

export const USAGE = `Usage: tkube <command> [flags]

Commands:
  up           start a cluster on this machine (NATS, the API server, nodes), write a
               kubeconfig, and return once every node is Ready
  down         stop it; its data stays, so "up" brings every object back
               (--purge: then remove its containers, bridges, iptables rules and data dir)
  status       show each component: running or stopped, pid, address, ready
  kubeconfig   print the kubeconfig's path: export KUBECONFIG=$(tkube kubeconfig)

Flags:
  --data-dir DIR     where the cluster keeps everything (default ~/.tkube)
  --port PORT        up: the API server's HTTPS port (default 6443)
  --grpc-port PORT   up: the API server's gRPC port (default 6444)
  --nats-port PORT   up: NATS's port (default 4222, or a free one when taken)
  --nodes N          up: how many nodes (tkube-node-1 ... tkube-node-N; default 1)
  --runtime R        up: the nodes' container runtime: docker (default) or fake (in memory)
  --cluster-cidr C   up: the pods' range; the controller-manager gives each node a /24
                     of it as it registers (default 10.244.0.0/16)
  --bridge-prefix P  up: node i gets bridge P<i> (default tkube: tkube1, tkube2, ...)
  --service-cidr C   up: the Services' range (default 10.96.0.0/12; DNS is its tenth address)
  --service-node-port-range R
                     up: where NodePorts come from (default 30000-32767)
                     The node and network flags count at the first up only; they are kept in DIR.
  --pod-eviction-timeout D
                     up: how long pods stay on an unreachable node before they are
                     evicted, as 30s or 5m (default 300s); kept in DIR until changed
  --purge            down: after stopping, remove the nodes' containers, veths, iptables
                     chains and bridges, and DIR (every object goes with it)
  -h, --help         print this help`;

export type Command = 'up' | 'down' | 'status' | 'kubeconfig';
const COMMANDS: readonly Command[] = ['up', 'down', 'status', 'kubeconfig'];

export type CommandLine =
  | { kind: 'help' }
  | {
      kind: 'command';
      command: Command;
      dataDir: string;
      ports: Partial<Ports>;
      nodes: Partial<NodeOptions>;
      /** down: also remove what the cluster made on the host, and its data dir. */
      purge: boolean;
      /** up: the controller-manager's --pod-eviction-timeout ("30s"). */
      podEvictionTimeout?: string;
    };

export class UsageError extends Error {
  override name = 'UsageError';
}

export function parseCommandLine(argv: readonly string[]): CommandLine {
  let parsed: ReturnType<typeof parseWithNode>;
  try {
    parsed = parseWithNode(argv);
  } catch (err) {
    throw new UsageError(err instanceof Error ? err.message : String(err));
  }
  const { values, positionals } = parsed;
  if (values.help || positionals.length === 0) return { kind: 'help' };
  const [name, ...rest] = positionals;
  const command = COMMANDS.find((c) => c === name);
  if (!command) throw new UsageError(`unknown command "${name}"`);
  if (rest.length > 0) throw new UsageError(`unexpected argument "${rest[0]}"`);

  const ports: Partial<Ports> = {};
  const portFlags = { port: 'apiserver', 'grpc-port': 'grpc', 'nats-port': 'nats' } as const;
  for (const [flag, name] of Object.entries(portFlags)) {
    const value = values[flag as keyof typeof portFlags];
    if (value === undefined) continue;
    if (command !== 'up') throw new UsageError(`--${flag} is a flag of "tkube up"`);
    ports[name] = port(flag, value);
  }
  const nodes = nodeFlags(values);
  if (Object.keys(nodes).length > 0 && command !== 'up') {
    throw new UsageError(
      '--nodes, --runtime, --cluster-cidr, --bridge-prefix, --service-cidr and --service-node-port-range are flags of "tkube up"',
    );
  }
  const podEvictionTimeout = values['pod-eviction-timeout'];
  if (podEvictionTimeout !== undefined) {
    if (command !== 'up') throw new UsageError('--pod-eviction-timeout is a flag of "tkube up"');
    // The controller-manager's own rule: refused here rather than by a process that fails to start.
    try {
      durationMs('--pod-eviction-timeout', podEvictionTimeout);
    } catch (err) {
      throw new UsageError(err instanceof Error ? err.message : String(err));
    }
  }
  const purge = values.purge === true;
  if (purge && command !== 'down') throw new UsageError('--purge is a flag of "tkube down"');
  const dataDir = values['data-dir'] ?? DEFAULT_DATA_DIR;
  if (dataDir.trim() === '') throw new UsageError('--data-dir must not be empty');
  return {
    kind: 'command',
    command,
    dataDir,
    ports,
    nodes,
    purge,
    ...(podEvictionTimeout ? { podEvictionTimeout } : {}),
  };
}

function nodeFlags(values: ReturnType<typeof parseWithNode>['values']): Partial<NodeOptions> {
  const nodes: Partial<NodeOptions> = {};
  if (values.nodes !== undefined) nodes.count = wholeNumber('nodes', values.nodes);
  if (values['cluster-cidr'] !== undefined) nodes.clusterCidr = values['cluster-cidr'];
  if (values['service-cidr'] !== undefined) nodes.serviceCidr = values['service-cidr'];
  if (values['service-node-port-range'] !== undefined) nodes.nodePortRange = values['service-node-port-range'];
  if (values['bridge-prefix'] !== undefined) nodes.bridgePrefix = values['bridge-prefix'];
  if (values.runtime !== undefined) {
    const runtime = NODE_RUNTIMES.find((r) => r === values.runtime);
    if (!runtime) throw new UsageError(`--runtime must be ${NODE_RUNTIMES.join(' or ')}, not "${values.runtime}"`);
    nodes.runtime = runtime;
  }
  const problem = nodeOptionsProblem({ ...DEFAULT_NODE_OPTIONS, ...nodes });
  if (problem) throw new UsageError(problem);
  return nodes;
}

function wholeNumber(flag: string, value: string): number {
  if (!/^\d+$/.test(value)) throw new UsageError(`--${flag} must be a whole number, not "${value}"`);
  return Number(value);
}

function parseWithNode(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    strict: true,
    allowPositionals: true,
    options: {
      'data-dir': { type: 'string' },
      port: { type: 'string' },
      'grpc-port': { type: 'string' },
      'nats-port': { type: 'string' },
      nodes: { type: 'string' },
      runtime: { type: 'string' },
      'cluster-cidr': { type: 'string' },
      'service-cidr': { type: 'string' },
      'service-node-port-range': { type: 'string' },
      'bridge-prefix': { type: 'string' },
      'pod-eviction-timeout': { type: 'string' },
      purge: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}

function port(flag: string, value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < 1 || n > 65535)
    throw new UsageError(`--${flag} must be a port (1-65535), not "${value}"`);
  return n;
}
