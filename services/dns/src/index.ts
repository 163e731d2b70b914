/**
 * @tkube/dns: the cluster DNS (kube's DNS specification) as its own process. The program
 * is dist/main.js (`tkube-dns`); this entry exposes its parts for tests and composition.
 */

// Values
export { runCleanup } from './cleanup.js';
export { ensureKubeDns } from './cluster/ensure-kube-dns.js';
export { KUBE_DNS_LABELS, KUBE_DNS_NAME } from './cluster/kube-dns-objects.js';
// Types
export type { CleanupConfig, DnsConfig, ServeConfig } from './config/config.js';
export { DEFAULTS, RECORD_TTL_SECONDS } from './config/config.js';
export { parseFlags, USAGE } from './config/flags.js';
export { ensureDnsInterface, InterfaceSetupError, removeDnsInterface } from './host/dns-interface.js';
export type { RecordIndexOptions, Resolution } from './records/record-index.js';
export { DNS_SCHEMA_VERSION, RecordIndex } from './records/record-index.js';
export type { Resolver, ResponderOptions, Transport } from './responder/responder.js';
export { Responder } from './responder/responder.js';
export type { DnsServerOptions, RunningDnsServer } from './server/dns-server.js';
export { startDnsServer } from './server/dns-server.js';
export type { DnsClient, RunningDns, StartDnsOptions } from './start-dns.js';
export { startDns } from './start-dns.js';
