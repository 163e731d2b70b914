/**
 * The apiserver's command line, in kube-apiserver's spelling where one exists
 * (--bind-address, --secure-port, --advertise-address, --service-cluster-ip-range,
 * --service-node-port-range, --cert-dir, --token-file). Accepts "--flag value" and
 * "--flag=value"; anything unknown or malformed is a FlagError naming the flag.
 */

import { isIPv4 } from 'node:net';
import {
  commaList,
  FlagError,
  grpcAddress,
  type Ipv4Cidr,
  integerIn,
  ipAddress,
  logLevel,
  nonEmpty,
  type ParsedFlags,
  parseCommandLine,
} from '@tkube/process';
import {
  type PortRange,
  parseNodePortRange,
  parseServiceClusterIPRange,
} from '../registry/strategies/service-ranges.js';
import { type ApiServerConfig, DEFAULT_CONFIG, type StorageKind } from './config.js';

export { FlagError } from '@tkube/process';

export const USAGE = `Usage: tkube-apiserver [flags]

  --storage memory|nats        where objects live (default nats)
  --nats-servers URL[,URL..]   NATS servers (default nats://127.0.0.1:4222)
  --bucket NAME                JetStream KV bucket
  --replicas N                 replicas of the bucket (3 on a 3-node NATS cluster)
  --history N                  values kept per key when the bucket is made (5 with several apiservers)
  --bind-address IP            HTTPS listen address (default 127.0.0.1)
  --secure-port PORT           HTTPS port (default 6443)
  --advertise-address IP       IPv4 address written into the kubernetes Service's endpoints
                               (default: the bind address)
  --service-cluster-ip-range CIDR
                               ClusterIPs of Services (default 10.96.0.0/12, /8 to /28); the
                               first is the kubernetes Service's, the tenth is kept for DNS
  --service-node-port-range MIN-MAX
                               NodePorts of Services (default 30000-32767; also BASE+SIZE)
  --grpc-address ADDR          host:port or unix:/path (default 127.0.0.1:6444)
  --cert-dir DIR               CA and serving certificate, made at first start (default ~/.tkube/pki)
  --token-file FILE            static bearer tokens: token,user[,uid[,"group,.."]] per line
  --kubelet-token-file FILE    token CSV whose first line's token is sent to kubelets (logs, exec)
  --log-level LEVEL            fatal|error|warn|info|debug|trace|silent (default info)
  -h, --help                   print this help`;

const OPTIONS = {
  storage: { type: 'string' },
  'nats-servers': { type: 'string' },
  bucket: { type: 'string' },
  replicas: { type: 'string' },
  history: { type: 'string' },
  'bind-address': { type: 'string' },
  'secure-port': { type: 'string' },
  'advertise-address': { type: 'string' },
  'service-cluster-ip-range': { type: 'string' },
  'service-node-port-range': { type: 'string' },
  'grpc-address': { type: 'string' },
  'cert-dir': { type: 'string' },
  'token-file': { type: 'string' },
  'kubelet-token-file': { type: 'string' },
  'log-level': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

export function parseFlags(argv: readonly string[]): ParsedFlags<ApiServerConfig> {
  const v = parseCommandLine(argv, OPTIONS);
  if (v.help) return { help: true };

  const config: ApiServerConfig = { ...DEFAULT_CONFIG };
  if (v.storage !== undefined) config.storage = storageKind(v.storage);
  if (v['nats-servers'] !== undefined) config.natsServers = natsServers(v['nats-servers']);
  if (v.bucket !== undefined) config.bucket = bucketName(v.bucket);
  if (v.replicas !== undefined) config.replicas = integerIn('--replicas', v.replicas, 1, 5);
  if (v.history !== undefined) config.history = integerIn('--history', v.history, 1, 64);
  if (v['bind-address'] !== undefined) config.bindAddress = ipAddress('--bind-address', v['bind-address']);
  if (v['secure-port'] !== undefined) config.securePort = integerIn('--secure-port', v['secure-port'], 1, 65535);
  if (v['advertise-address'] !== undefined) config.advertiseAddress = advertiseAddress(v['advertise-address']);
  if (v['service-cluster-ip-range'] !== undefined) {
    config.serviceClusterIPRange = serviceClusterIPRange(v['service-cluster-ip-range']);
  }
  if (v['service-node-port-range'] !== undefined) {
    config.serviceNodePortRange = serviceNodePortRange(v['service-node-port-range']);
  }
  if (v['grpc-address'] !== undefined) config.grpcAddress = grpcAddress('--grpc-address', v['grpc-address']);
  if (v['cert-dir'] !== undefined) config.certDir = nonEmpty('--cert-dir', v['cert-dir']);
  if (v['token-file'] !== undefined) config.tokenFile = nonEmpty('--token-file', v['token-file']);
  if (v['kubelet-token-file'] !== undefined) {
    config.kubeletTokenFile = nonEmpty('--kubelet-token-file', v['kubelet-token-file']);
  }
  if (v['log-level'] !== undefined) config.logLevel = logLevel('--log-level', v['log-level']);
  return { help: false, config };
}

function storageKind(value: string): StorageKind {
  if (value === 'memory' || value === 'nats') return value;
  throw new FlagError(`--storage must be "memory" or "nats", not "${value}"`);
}

function natsServers(value: string): string[] {
  const urls = commaList(value);
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

/** IPv4 only: the Service range is IPv4, and kube's endpoints match its family. */
function advertiseAddress(value: string): string {
  if (!isIPv4(value)) throw new FlagError(`--advertise-address must be an IPv4 address, not "${value}"`);
  if (value === '0.0.0.0') throw new FlagError('--advertise-address must be an address pods can reach, not 0.0.0.0');
  return value;
}

function serviceClusterIPRange(value: string): Ipv4Cidr {
  const range = parseServiceClusterIPRange(value);
  if (typeof range === 'string') throw new FlagError(`--service-cluster-ip-range ${range}`);
  return range;
}

function serviceNodePortRange(value: string): PortRange {
  const range = parseNodePortRange(value);
  if (typeof range === 'string') throw new FlagError(`--service-node-port-range ${range}`);
  return range;
}
