/**
 * The apiserver's command line, in kube-apiserver's spelling where one exists
 * (--bind-address, --secure-port, --cert-dir, --token-file). Accepts "--flag value" and
 * "--flag=value"; anything unknown or malformed is a FlagError naming the flag.
 */
import { isIP } from 'node:net';
import { parseArgs } from 'node:util';
import { type ApiServerConfig, DEFAULT_CONFIG, LOG_LEVELS, type LogLevel, type StorageKind } from './config.js';

export class FlagError extends Error {
  override name = 'FlagError';
}

export const USAGE = `Usage: tkube-apiserver [flags]

  --storage memory|nats        where objects live (default nats)
  --nats-servers URL[,URL..]   NATS servers (default nats://127.0.0.1:4222)
  --bucket NAME                JetStream KV bucket
  --replicas N                 replicas of the bucket (3 on a 3-node NATS cluster)
  --history N                  values kept per key when the bucket is made (5 with several apiservers)
  --bind-address IP            HTTPS listen address (default 127.0.0.1)
  --secure-port PORT           HTTPS port (default 6443)
  --grpc-address ADDR          host:port or unix:/path (default 127.0.0.1:6444)
  --cert-dir DIR               CA and serving certificate, made at first start (default ~/.tkube/pki)
  --token-file FILE            static bearer tokens: token,user[,uid[,"group,.."]] per line
  --kubelet-token-file FILE    token CSV whose first line's token is sent to kubelets (logs, exec)
  --log-level LEVEL            fatal|error|warn|info|debug|trace|silent (default info)
  -h, --help                   print this help`;

export type ParsedFlags = { help: true } | { help: false; config: ApiServerConfig };

export function parseFlags(argv: readonly string[]): ParsedFlags {
  let parsed: ReturnType<typeof parseWithNode>;
  try {
    parsed = parseWithNode(argv);
  } catch (err) {
    throw new FlagError(err instanceof Error ? err.message : String(err));
  }
  const v = parsed.values;
  if (v.help) return { help: true };
  if (parsed.positionals.length > 0) throw new FlagError(`unexpected argument "${parsed.positionals[0]}"`);

  const config: ApiServerConfig = { ...DEFAULT_CONFIG };
  if (v.storage !== undefined) config.storage = storageKind(v.storage);
  if (v['nats-servers'] !== undefined) config.natsServers = natsServers(v['nats-servers']);
  if (v.bucket !== undefined) config.bucket = bucketName(v.bucket);
  if (v.replicas !== undefined) config.replicas = integerIn('--replicas', v.replicas, 1, 5);
  if (v.history !== undefined) config.history = integerIn('--history', v.history, 1, 64);
  if (v['bind-address'] !== undefined) config.bindAddress = ipAddress('--bind-address', v['bind-address']);
  if (v['secure-port'] !== undefined) config.securePort = integerIn('--secure-port', v['secure-port'], 1, 65535);
  if (v['grpc-address'] !== undefined) config.grpcAddress = grpcAddress(v['grpc-address']);
  if (v['cert-dir'] !== undefined) config.certDir = nonEmpty('--cert-dir', v['cert-dir']);
  if (v['token-file'] !== undefined) config.tokenFile = nonEmpty('--token-file', v['token-file']);
  if (v['kubelet-token-file'] !== undefined) {
    config.kubeletTokenFile = nonEmpty('--kubelet-token-file', v['kubelet-token-file']);
  }
  if (v['log-level'] !== undefined) config.logLevel = logLevel(v['log-level']);
  return { help: false, config };
}

function parseWithNode(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    strict: true,
    allowPositionals: true,
    options: {
      storage: { type: 'string' },
      'nats-servers': { type: 'string' },
      bucket: { type: 'string' },
      replicas: { type: 'string' },
      history: { type: 'string' },
      'bind-address': { type: 'string' },
      'secure-port': { type: 'string' },
      'grpc-address': { type: 'string' },
      'cert-dir': { type: 'string' },
      'token-file': { type: 'string' },
      'kubelet-token-file': { type: 'string' },
      'log-level': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}

function storageKind(value: string): StorageKind {
  if (value === 'memory' || value === 'nats') return value;
  throw new FlagError(`--storage must be "memory" or "nats", not "${value}"`);
}

function natsServers(value: string): string[] {
  const urls = value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (urls.length === 0) throw new FlagError('--nats-servers needs at least one URL');
  for (const url of urls) {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new FlagError(`--nats-servers: "${url}" is not a URL (want nats://host:port)`);
    }
    if (!['nats:', 'tls:'].includes(parsed.protocol) || parsed.hostname === '') {
      throw new FlagError(`--nats-servers: "${url}" is not a nats:// or tls:// URL with a host`);
    }
  }
  return urls;
}

function bucketName(value: string): string {
  // JetStream KV bucket names: letters, digits, "-" and "_".
  if (!/^[A-Za-z0-9_-]+$/.test(value))
    throw new FlagError(`--bucket "${value}" may hold only letters, digits, "-" and "_"`);
  return value;
}

function integerIn(flag: string, value: string, min: number, max: number): number {
  if (!/^\d+$/.test(value)) throw new FlagError(`${flag} must be a whole number, not "${value}"`);
  const n = Number(value);
  if (n < min || n > max) throw new FlagError(`${flag} must be between ${min} and ${max}, not ${n}`);
  return n;
}

function ipAddress(flag: string, value: string): string {
  if (isIP(value) === 0) throw new FlagError(`${flag} must be an IP address, not "${value}"`);
  return value;
}

function grpcAddress(value: string): string {
  if (value.startsWith('unix:')) {
    if (value.length <= 'unix:'.length) throw new FlagError('--grpc-address unix: needs a socket path');
    return value;
  }
  const match = /^(?:\[([^\]]+)\]|([^:]+)):(\d+)$/.exec(value);
  if (!match) throw new FlagError(`--grpc-address must be host:port, [ipv6]:port or unix:/path, not "${value}"`);
  integerIn('--grpc-address port', match[3] ?? '', 0, 65535);
  return value;
}

function logLevel(value: string): LogLevel {
  const level = LOG_LEVELS.find((l) => l === value);
  if (!level) throw new FlagError(`--log-level must be one of ${LOG_LEVELS.join(', ')}, not "${value}"`);
  return level;
}

function nonEmpty(flag: string, value: string): string {
  if (value.trim() === '') throw new FlagError(`${flag} must not be empty`);
  return value;
}
