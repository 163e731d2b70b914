/**
 * tkube-proxy's command line, in kube-proxy's spelling (--hostname-override, --cluster-cidr,
 * --nodeport-addresses, --masquerade-all, --cleanup), plus --instance, which keeps the rules
 * of several proxies sharing this host's network namespace apart.
 */
import { hostname } from 'node:os';
import {
  commaList,
  FlagError,
  grpcAddress,
  HEALTHZ_FLAG,
  healthzAddress,
  type Ipv4Cidr,
  logLevel,
  nonEmpty,
  type ParsedFlags,
  parseCidr,
  parseCommandLine,
} from '@tkube/process';
import { DEFAULT_CONFIG, type ProxyConfig } from './config.js';

export const USAGE = `Usage: tkube-proxy --instance TAG [flags]

  --apiserver-grpc ADDR        the apiserver's gRPC address (default 127.0.0.1:6444)
  --token-file FILE            the apiserver's token file; the first line's token is used
  --hostname-override NODE     the Node this proxy serves (default the host's name)
  --instance TAG               required: unique per proxy on this host; names its chains
  --cluster-cidr CIDR          pods' range; ClusterIP traffic from outside it is masqueraded
  --nodeport-addresses LIST    CIDRs/addresses where NodePorts answer
                               (default 127.0.0.1 plus the Node's addresses)
  --masquerade-all             masquerade all ClusterIP traffic (default false; turned on by
                               itself when bridged traffic does not pass iptables)
  --cleanup                    remove every chain and jump of --instance and exit
  --healthz-bind-address HOST:PORT
                               serve /healthz, /readyz (first rules written) and /metrics
                               there, plain HTTP; "" for nowhere (default 127.0.0.1:10256)
  --log-level LEVEL            fatal|error|warn|info|debug|trace|silent (default info)
  -h, --help                   print this help`;

const string = { type: 'string' } as const;
const OPTIONS = {
  'apiserver-grpc': string,
  'token-file': string,
  'hostname-override': string,
  instance: string,
  'cluster-cidr': string,
  'nodeport-addresses': string,
  'masquerade-all': { type: 'boolean' },
  cleanup: { type: 'boolean' },
  [HEALTHZ_FLAG]: string,
  'log-level': string,
  help: { type: 'boolean', short: 'h' },
} as const;

/** Letters, digits and . _ : / @ - : the instance ends up in rule comments. */
const INSTANCE = /^[A-Za-z0-9._:/@-]{1,128}$/;

export function parseFlags(argv: readonly string[]): ParsedFlags<ProxyConfig> {
  const v = parseCommandLine(argv, OPTIONS);
  if (v.help) return { help: true };
  const config: ProxyConfig = { ...DEFAULT_CONFIG, hostnameOverride: hostname().toLowerCase() };
  if (v['apiserver-grpc'] !== undefined) config.apiserverGrpc = grpcAddress('--apiserver-grpc', v['apiserver-grpc']);
  if (v['token-file'] !== undefined) config.tokenFile = nonEmpty('--token-file', v['token-file']);
  if (v['hostname-override'] !== undefined) {
    config.hostnameOverride = nonEmpty('--hostname-override', v['hostname-override']);
  }
  if (v.instance === undefined) throw new FlagError('--instance is required (unique per proxy on this host)');
  if (!INSTANCE.test(v.instance)) {
    throw new FlagError(`--instance must be 1-128 of letters, digits and . _ : / @ -, not "${v.instance}"`);
  }
  config.instance = v.instance;
  if (v['cluster-cidr'] !== undefined) config.clusterCidr = cidr('--cluster-cidr', v['cluster-cidr']);
  if (v['nodeport-addresses'] !== undefined) {
    config.nodePortAddresses = commaList(v['nodeport-addresses']).map((item) => cidr('--nodeport-addresses', item));
  }
  config.masqueradeAll = v['masquerade-all'] ?? false;
  config.cleanup = v.cleanup ?? false;
  const healthz = v[HEALTHZ_FLAG];
  if (healthz !== undefined) config.healthzBindAddress = healthzAddress(`--${HEALTHZ_FLAG}`, healthz);
  if (v['log-level'] !== undefined) config.logLevel = logLevel('--log-level', v['log-level']);
  return { help: false, config };
}

/** An IPv4 block, or an address taken as its /32. */
function cidr(flag: string, value: string): Ipv4Cidr {
  const parsed = parseCidr(value.includes('/') ? value : `${value}/32`);
  if (!parsed) throw new FlagError(`${flag} must be IPv4 CIDRs or addresses, not "${value}"`);
  return parsed;
}
