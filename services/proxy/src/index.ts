/** @tkube/proxy: kube-proxy's iptables mode, as a library (the process is main.ts). */

// Values
export { cleanupInstance } from './cleanup.js';
// Types
export type { ProxyConfig } from './config/config.js';
export { DEFAULT_CONFIG } from './config/config.js';
export { parseFlags, USAGE } from './config/flags.js';
export type { CommandResult, CommandRunner } from './iptables/command-runner.js';
export { hostRunner } from './iptables/command-runner.js';
export { Iptables } from './iptables/iptables.js';
export type { BuildOptions } from './rules/build-ruleset.js';
export { buildRuleset, MASQ_MARK } from './rules/build-ruleset.js';
export type { ChainNames } from './rules/chain-names.js';
export { chainNames, endpointChain, instanceTag, MAX_CHAIN_NAME, serviceChain } from './rules/chain-names.js';
export { cleanupText } from './rules/cleanup-plan.js';
export { parseIptablesSave } from './rules/iptables-save.js';
export { restoreText } from './rules/restore-text.js';
export type { Jump, Ruleset, Table, TableRules } from './rules/ruleset.js';
export type { Endpoint, Protocol, ServicePortInfo } from './rules/service-ports.js';
export { servicePortsOf } from './rules/service-ports.js';
export type { RunningProxy, StartProxyOptions } from './start-proxy.js';
export { startProxy } from './start-proxy.js';
export type { RuleWriter } from './sync/proxier.js';
