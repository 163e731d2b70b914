/**
 * The kubelet's command line, in the real kubelet's spelling (--node-name, --root-dir,
 * --container-runtime-endpoint, --pod-cidr, --max-pods, --node-ip, --node-lease-duration-seconds
 * as --node-lease-duration). Accepts "--flag value" and "--flag=value"; anything unknown or
 * malformed is a FlagError naming the flag.
 */
import {
  FlagError,
  grpcAddress,
  integerIn,
  ipAddress,
  logLevel,
  nonEmpty,
  type ParsedFlags,
  parseCidr,
  parseCommandLine,
} from '@tkube/process';
import { DEFAULT_CONFIG, type KubeletConfig } from './config.js';

export { FlagError } from '@tkube/process';

export const USAGE = `Usage: tkube-kubelet [flags]

  --node-name NAME                      the Node's name (default: the hostname)
  --kubeconfig FILE                     tkube's kubeconfig (accepted; the flags below say how to reach the apiserver)
  --apiserver-grpc ADDR                 the apiserver's gRPC address (default 127.0.0.1:6444)
  --token-file FILE                     the apiserver's token file; the first line's token is used
  --container-runtime-endpoint URL      CRI runtime socket (default unix:///run/tkube/cri-docker.sock)
  --network-plugin-endpoint URL         network plugin socket (default unix:///run/tkube/cni-bridge.sock)
  --pod-cidr CIDR                       this node's pod CIDR (e.g. 10.244.1.0/24); default: the one node IPAM gives the Node
  --root-dir DIR                        pod directories and logs (default /var/lib/tkube/kubelet)
  --address IP                          kubelet API listen address (default 127.0.0.1)
  --port PORT                           kubelet API port (default 10250)
  --node-ip IP                          the node's InternalIP (default 127.0.0.1)
  --max-pods N                          pods this node can run (default 110)
  --cluster-dns IP[,IP]                 the cluster DNS server(s) for ClusterFirst pods (repeatable; default none)
  --cluster-domain DOMAIN               the cluster's DNS domain (default cluster.local)
  --resolv-conf FILE                    the resolver file of dnsPolicy Default pods (default /etc/resolv.conf; "" for none)
  --node-lease-duration SECONDS         the Lease's duration (default 40)
  --log-level LEVEL                     fatal|error|warn|info|debug|trace|silent (default info)
  -h, --help                            print this help`;

const string = { type: 'string' } as const;
const OPTIONS = {
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
  'cluster-dns': { type: 'string', multiple: true },
  'cluster-domain': string,
  'resolv-conf': string,
  'node-lease-duration': string,
  'log-level': string,
  help: { type: 'boolean', short: 'h' },
} as const;

export function parseFlags(argv: readonly string[]): ParsedFlags<KubeletConfig> {
  const v = parseCommandLine(argv, OPTIONS);
  if (v.help) return { help: true };

  const config: KubeletConfig = { ...DEFAULT_CONFIG };
  if (v['node-name'] !== undefined) config.nodeName = nodeName(v['node-name']);
  if (v.kubeconfig !== undefined) config.kubeconfig = nonEmpty('--kubeconfig', v.kubeconfig);
  if (v['apiserver-grpc'] !== undefined) config.apiserverGrpc = grpcAddress('--apiserver-grpc', v['apiserver-grpc']);
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
  if (v['cluster-dns'] !== undefined) config.clusterDns = clusterDns(v['cluster-dns']);
  if (v['cluster-domain'] !== undefined) config.clusterDomain = clusterDomain(v['cluster-domain']);
  // An empty --resolv-conf is meaningful (kube: no host DNS), so it is not checked for blanks.
  if (v['resolv-conf'] !== undefined) config.resolvConf = v['resolv-conf'];
  if (v['node-lease-duration'] !== undefined) {
    config.nodeLeaseDurationSeconds = integerIn('--node-lease-duration', v['node-lease-duration'], 4, 3600);
  }
  if (v['log-level'] !== undefined) config.logLevel = logLevel('--log-level', v['log-level']);
  return { help: false, config };
}

function nodeName(value: string): string {
  // A Node's name is a DNS subdomain (RFC 1123).
  if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/.test(value) || value.length > 253) {
    throw new FlagError(`--node-name "${value}" must be a lowercase DNS subdomain`);
  }
  return value;
}

/** Every --cluster-dns, each an IP or a comma-separated list of them, in order, without repeats. */
function clusterDns(values: readonly string[]): string[] {
  const servers = values
    .flatMap((value) => value.split(','))
    .map((server) => server.trim())
    .filter((server) => server !== '')
    .map((server) => ipAddress('--cluster-dns', server));
  return [...new Set(servers)];
}

function clusterDomain(value: string): string {
  // "" is allowed as in kube: ClusterFirst pods then get no cluster search domains.
  const domain = value.replace(/\.$/, '');
  if (domain !== '' && !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/.test(domain)) {
    throw new FlagError(`--cluster-domain "${value}" must be a lowercase DNS domain`);
  }
  return domain;
}

function unixEndpoint(flag: string, value: string): string {
  if (!/^unix:\/\/\/?.+/.test(value) && !/^unix:.+/.test(value)) {
    throw new FlagError(`${flag} must be a unix socket URL (unix:///path/to.sock), not "${value}"`);
  }
  return value;
}

function ipv4Cidr(value: string): string {
  const cidr = parseCidr(value, { allowHostBits: true });
  if (!cidr || cidr.prefixLength < 8 || cidr.prefixLength > 30) {
    throw new FlagError(`--pod-cidr must be an IPv4 CIDR with a prefix from /8 to /30, not "${value}"`);
  }
  return value;
}
