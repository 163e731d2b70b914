/**
 * tkube-dns's command line. `--listen-address` is required to serve; `--cleanup` removes
 * the interface named by `--interface` and exits.
 */
import { isIPv4 } from 'node:net';
import { isDNS1123Label } from '@tkube/api';
import {
  FlagError,
  grpcAddress,
  HEALTHZ_FLAG,
  healthzAddress,
  integerIn,
  logLevel,
  nonEmpty,
  type ParsedFlags,
  parseCommandLine,
} from '@tkube/process';
import { DEFAULTS, type DnsConfig } from './config.js';

export const USAGE = `Usage: tkube-dns --listen-address IP [flags]
       tkube-dns --cleanup --interface NAME

  --apiserver-grpc ADDR      the apiserver's gRPC address (default ${DEFAULTS.apiserverGrpc})
  --token-file FILE          the apiserver's token file; the first line's token is used
  --cluster-domain DOMAIN    the cluster's DNS domain (default ${DEFAULTS.clusterDomain})
  --listen-address IP        required: the cluster's DNS ClusterIP (IPv4, e.g. 10.96.0.10); UDP and TCP are served on it
  --port N                   the port (default ${DEFAULTS.port}; 0 picks a free one)
  --interface NAME           a link to create if missing (dummy, or a bridge where the kernel has no dummy)
                             and put the listen address on as a /32 (at most 15 characters)
  --service-namespace NS     where the kube-dns Service is kept (default ${DEFAULTS.serviceNamespace})
  --healthz-bind-address HOST:PORT
                             serve /healthz, /readyz (answering DNS) and /metrics there, plain HTTP;
                             "" for nowhere (default ${DEFAULTS.healthzBindAddress})
  --cleanup                  remove the --interface link and exit
  --log-level LEVEL          fatal|error|warn|info|debug|trace|silent (default ${DEFAULTS.logLevel})
  -h, --help                 print this help

Names outside the cluster domain are answered REFUSED: there is no upstream to forward to.`;

const string = { type: 'string' } as const;
const OPTIONS = {
  'apiserver-grpc': string,
  'token-file': string,
  'cluster-domain': string,
  'listen-address': string,
  port: string,
  interface: string,
  'service-namespace': string,
  [HEALTHZ_FLAG]: string,
  cleanup: { type: 'boolean' },
  'log-level': string,
  help: { type: 'boolean', short: 'h' },
} as const;

/** Linux limits link names to 15 bytes (IFNAMSIZ - 1); "/", ":" and blanks are refused by the kernel or by ip. */
const LINK_NAME = /^[A-Za-z0-9_.-]{1,15}$/;

export function parseFlags(argv: readonly string[]): ParsedFlags<DnsConfig> {
  const v = parseCommandLine(argv, OPTIONS);
  if (v.help) return { help: true };
  const level = v['log-level'] === undefined ? DEFAULTS.logLevel : logLevel('--log-level', v['log-level']);
  const interfaceName = v.interface === undefined ? undefined : linkName('--interface', v.interface);

  if (v.cleanup) {
    if (interfaceName === undefined) throw new FlagError('--cleanup needs --interface: the link to remove');
    return { help: false, config: { kind: 'cleanup', interfaceName, logLevel: level } };
  }
  if (v['listen-address'] === undefined) {
    throw new FlagError('--listen-address is required: the cluster DNS ClusterIP, such as 10.96.0.10');
  }
  return {
    help: false,
    config: {
      kind: 'serve',
      apiserverGrpc:
        v['apiserver-grpc'] === undefined
          ? DEFAULTS.apiserverGrpc
          : grpcAddress('--apiserver-grpc', v['apiserver-grpc']),
      tokenFile: v['token-file'] === undefined ? undefined : nonEmpty('--token-file', v['token-file']),
      clusterDomain:
        v['cluster-domain'] === undefined
          ? DEFAULTS.clusterDomain
          : domainName('--cluster-domain', v['cluster-domain']),
      listenAddress: ipv4Address('--listen-address', v['listen-address']),
      port: v.port === undefined ? DEFAULTS.port : integerIn('--port', v.port, 0, 65535),
      interfaceName,
      serviceNamespace:
        v['service-namespace'] === undefined
          ? DEFAULTS.serviceNamespace
          : label('--service-namespace', v['service-namespace']),
      healthzBindAddress:
        v[HEALTHZ_FLAG] === undefined
          ? DEFAULTS.healthzBindAddress
          : healthzAddress(`--${HEALTHZ_FLAG}`, v[HEALTHZ_FLAG]),
      logLevel: level,
    },
  };
}

function ipv4Address(flag: string, value: string): string {
  if (!isIPv4(value)) throw new FlagError(`${flag} must be an IPv4 address, not "${value}"`);
  return value;
}

function linkName(flag: string, value: string): string {
  if (!LINK_NAME.test(value) || value === '.' || value === '..') {
    throw new FlagError(`${flag} must be 1 to 15 letters, digits, "_", "." or "-", not "${value}"`);
  }
  return value;
}

function label(flag: string, value: string): string {
  if (!isDNS1123Label(value)) throw new FlagError(`${flag} must be a DNS label (a namespace name), not "${value}"`);
  return value;
}

/** "Cluster.Local." -> "cluster.local": every label a DNS-1123 label. */
function domainName(flag: string, value: string): string {
  const domain = value.toLowerCase().replace(/\.$/, '');
  if (domain === '' || !domain.split('.').every((part) => isDNS1123Label(part))) {
    throw new FlagError(`${flag} must be a domain name of DNS labels, such as cluster.local, not "${value}"`);
  }
  return domain;
}
