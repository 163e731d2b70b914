/** The `tkube` command line: a command, then its flags ("--flag value" or "--flag=value"). */
import { parseArgs } from 'node:util';
import type { Ports } from './cluster/cluster-settings.js';
import { DEFAULT_DATA_DIR } from './cluster/data-dir.js';

export const USAGE = `Usage: tkube <command> [flags]

Commands:
  up           start a cluster on this machine (NATS, the API server) and write a kubeconfig
  down         stop it; its data stays, so "up" brings every object back
  status       show each component: running or stopped, pid, address, ready
  kubeconfig   print the kubeconfig's path: export KUBECONFIG=$(tkube kubeconfig)

Flags:
  --data-dir DIR     where the cluster keeps everything (default ~/.tkube)
  --port PORT        up: the API server's HTTPS port (default 6443)
  --grpc-port PORT   up: the API server's gRPC port (default 6444)
  --nats-port PORT   up: NATS's port (default 4222, or a free one when taken)
  -h, --help         print this help`;

export type Command = 'up' | 'down' | 'status' | 'kubeconfig';
const COMMANDS: readonly Command[] = ['up', 'down', 'status', 'kubeconfig'];

export type CommandLine =
  | { kind: 'help' }
  | { kind: 'command'; command: Command; dataDir: string; ports: Partial<Ports> };

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
  const dataDir = values['data-dir'] ?? DEFAULT_DATA_DIR;
  if (dataDir.trim() === '') throw new UsageError('--data-dir must not be empty');
  return { kind: 'command', command, dataDir, ports };
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
