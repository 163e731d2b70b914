/**
 * The kubelet's command line, in the real kubelet's spelling (--node-name, --root-dir,
 * --container-runtime-endpoint, --pod-cidr, --max-pods, --node-ip, --node-lease-duration-seconds
 * as --node-lease-duration). Accepts "--flag value" and "--flag=value"; anything unknown or
 * malformed is a FlagError naming the flag.
 */
import { isIP } from 'node:net';
import { parseArgs } from 'node:util';
import { DEFAULT_CONFIG, type KubeletConfig, LOG_LEVELS, type LogLevel } from './config.js';

export class FlagError extends Error {
  override name = 'FlagError';
}

export const USAGE = `Usage: tkube-kubelet [flags]

  --node-name NAME                      the Node's name (default: the hostname)
  --kubeconfig FILE                     tkube's kubeconfig (accepted; the flags below say how to reach the apiserver)
  --apiserver-grpc ADDR                 the apiserver's gRPC address (default 127.0.0.1:6444)
  --token-file FILE                     the apiserver's token file; the first line's token is used
  --container-runtime-endpoint URL      CRI runtime socket (default unix:///run/tkube/cri-docker.sock)
  --network-plugin-endpoint URL         network plugin socket (default unix:///run/tkube/cni-bridge.sock)
  --pod-cidr CIDR                       this node's pod CIDR (e.g. 10.244.1.0/24)
  --root-dir DIR                        pod directories and logs (default /var/lib/tkube/kubelet)
  --address IP                          kubelet API listen address (default 127.0.0.1)
  --port PORT                           kubelet API port (default 10250)
  --node-ip IP                          the node's InternalIP (default 127.0.0.1)
  --max-pods N                          pods this node can run (default 110)
  --node-lease-duration SECONDS         the Lease's duration (default 40)
  --log-level LEVEL                     fatal|error|warn|info|debug|trace|silent (default info)
  -h, --help                            print this help`;

export type ParsedFlags = { help: true } | { help: false; config: KubeletConfig };

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

  const config: KubeletConfig = { ...DEFAULT_CONFIG };
  if (v['node-name'] !== undefined) config.nodeName = nodeName(v['node-name']);
  if (v.kubeconfig !== undefined) config.kubeconfig = nonEmpty('--kubeconfig', v.kubeconfig);
  if (v['apiserver-grpc'] !== undefined) config.apiserverGrpc = grpcAddress(v['apiserver-grpc']);
  if (v['token-file'] !== undefined) config.tokenFile = nonEmpty('--token-file', v['token-file']);
  if (v['container-runtime-endpoint'] !== undefined) {
    config.containerRuntimeEndpoint = unixEndpoint('--container-runtime-endpoint', v['container-runtime-endpoint']);
  }
  if (v['network-plugin-endpoint'] !== undefined) {
    config.networkPluginEndpoint = unixEndpoint('--network-plugin-endpoint', v['network-plugin-endpoint']);
  }
  if (v['pod-cidr'] !== undefined) config.podCidr = ipv4Cidr(v['pod-cidr']);
  if (v['root-dir'] !== undefined) config.rootDir = nonEmpty('--root-dir', v['root-dir']);
  if (v.address !== undefined) config.address = ipAddress('--address', v.address);
  if (v.port !== undefined) config.port = integerIn('--port', v.port, 0, 65535);
  if (v['node-ip'] !== undefined) config.nodeIp = ipAddress('--node-ip', v['node-ip']);
  if (v['max-pods'] !== undefined) config.maxPods = integerIn('--max-pods', v['max-pods'], 1, 10_000);
  if (v['node-lease-duration'] !== undefined) {
    config.nodeLeaseDurationSeconds = integerIn('--node-lease-duration', v['node-lease-duration'], 4, 3600);
  }
  if (v['log-level'] !== undefined) config.logLevel = logLevel(v['log-level']);
  return { help: false, config };
}

function parseWithNode(argv: readonly string[]) {
  const string = { type: 'string' } as const;
  return parseArgs({
    args: [...argv],
    strict: true,
    allowPositionals: true,
    options: {
      'node-name': string,
      kubeconfig: string,
      'apiserver-grpc': string,
      'token-file': string,
      'container-runtime-endpoint': string,
      'network-plugin-endpoint': string,
      'pod-cidr': string,
      'root-dir': string,
      address: string,
      port: string,
      'node-ip': string,
      'max-pods': string,
      'node-lease-duration': string,
      'log-level': string,
      help: { type: 'boolean', short: 'h' },
    },
  });
}

function nodeName(value: string): string {
  // A Node's name is a DNS subdomain (RFC 1123).
  if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/.test(value) || value.length > 253) {
    throw new FlagError(`--node-name "${value}" must be a lowercase DNS subdomain`);
  }
  return value;
}

function unixEndpoint(flag: string, value: string): string {
  if (!/^unix:\/\/\/?.+/.test(value) && !/^unix:.+/.test(value)) {
    throw new FlagError(`${flag} must be a unix socket URL (unix:///path/to.sock), not "${value}"`);
  }
  return value;
}

function ipv4Cidr(value: string): string {
  const match = /^(\d+\.\d+\.\d+\.\d+)\/(\d+)$/.exec(value);
  if (!match || isIP(match[1] ?? '') !== 4 || Number(match[2]) > 30 || Number(match[2]) < 8) {
    throw new FlagError(`--pod-cidr must be an IPv4 CIDR with a prefix from /8 to /30, not "${value}"`);
  }
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
    if (value.length <= 'unix:'.length) throw new FlagError('--apiserver-grpc unix: needs a socket path');
    return value;
  }
  const match = /^(?:\[([^\]]+)\]|([^:]+)):(\d+)$/.exec(value);
  if (!match) throw new FlagError(`--apiserver-grpc must be host:port, [ipv6]:port or unix:/path, not "${value}"`);
  integerIn('--apiserver-grpc port', match[3] ?? '', 0, 65535);
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
