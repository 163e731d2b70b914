/** The controller-manager's command line, in kube-controller-manager's spelling. */
import {
  commaList,
  durationMs,
  FlagError,
  formatCidr,
  grpcAddress,
  HEALTHZ_FLAG,
  healthzAddress,
  integerIn,
  logLevel,
  nonEmpty,
  type ParsedFlags,
  parseCidr,
  parseCommandLine,
  trueOrFalse,
} from '@tkube/process';
import { type ControllerManagerConfig, DEFAULT_CONFIG } from './config.js';

export const USAGE = `Usage: tkube-controller-manager [flags]

  --apiserver-grpc ADDR          the apiserver's gRPC address (default 127.0.0.1:6444)
  --token-file FILE              the apiserver's token file; the first line's token is used
  --controllers LIST             controllers to run: "*" all, "name" enables, "-name" disables (default *)
  --leader-elect BOOL            elect a leader on the Lease kube-system/kube-controller-manager (default true)
  --identity ID                  this candidate's name in the Lease (default hostname_pid)
  --pod-eviction-timeout DURATION how long pods stay on an unreachable node, as 300s or 5m (default 300s)
  --cluster-cidr CIDR            the pods' range; node IPAM gives each node a block of it (default 10.244.0.0/16)
  --node-cidr-mask-size N        the prefix length of each node's block (default 24)
  --healthz-bind-address HOST:PORT serve /healthz, /readyz (leading, caches synced) and /metrics there,
                                 plain HTTP; "" for nowhere (default 127.0.0.1:10257)
  --log-level LEVEL              fatal|error|warn|info|debug|trace|silent (default info)
  -h, --help                     print this help`;

const string = { type: 'string' } as const;
const OPTIONS = {
  'apiserver-grpc': string,
  'token-file': string,
  controllers: string,
  'leader-elect': string,
  identity: string,
  'pod-eviction-timeout': string,
  'cluster-cidr': string,
  'node-cidr-mask-size': string,
  [HEALTHZ_FLAG]: string,
  'log-level': string,
  help: { type: 'boolean', short: 'h' },
} as const;

export function parseFlags(argv: readonly string[]): ParsedFlags<ControllerManagerConfig> {
  const v = parseCommandLine(argv, OPTIONS);
  if (v.help) return { help: true };
  const config: ControllerManagerConfig = { ...DEFAULT_CONFIG };
  if (v['apiserver-grpc'] !== undefined) config.apiserverGrpc = grpcAddress('--apiserver-grpc', v['apiserver-grpc']);
  if (v['token-file'] !== undefined) config.tokenFile = nonEmpty('--token-file', v['token-file']);
  if (v.controllers !== undefined) config.controllers = commaList(v.controllers);
  if (v['leader-elect'] !== undefined) config.leaderElect = trueOrFalse('--leader-elect', v['leader-elect']);
  if (v.identity !== undefined) config.identity = nonEmpty('--identity', v.identity);
  if (v['pod-eviction-timeout'] !== undefined) {
    config.podEvictionTimeoutMs = durationMs('--pod-eviction-timeout', v['pod-eviction-timeout']);
  }
  if (v['cluster-cidr'] !== undefined) config.clusterCidr = clusterCidr(v['cluster-cidr']);
  if (v['node-cidr-mask-size'] !== undefined) {
    config.nodeCidrMaskSize = integerIn('--node-cidr-mask-size', v['node-cidr-mask-size'], 8, 30);
  }
  const rangePrefix = parseCidr(config.clusterCidr)?.prefixLength ?? 0;
  if (config.nodeCidrMaskSize < rangePrefix) {
    throw new FlagError(
      `--node-cidr-mask-size ${config.nodeCidrMaskSize} is a larger block than --cluster-cidr ${config.clusterCidr}`,
    );
  }
  const healthz = v[HEALTHZ_FLAG];
  if (healthz !== undefined) config.healthzBindAddress = healthzAddress(`--${HEALTHZ_FLAG}`, healthz);
  if (v['log-level'] !== undefined) config.logLevel = logLevel('--log-level', v['log-level']);
  return { help: false, config };
}

function clusterCidr(value: string): string {
  const cidr = parseCidr(value);
  if (!cidr) throw new FlagError(`--cluster-cidr must be an IPv4 CIDR such as 10.244.0.0/16, not "${value}"`);
  return formatCidr(cidr);
}
