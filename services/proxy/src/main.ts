#!/usr/bin/env node
/**
 * tkube-proxy: kube-proxy's iptables mode for one node. Flags, a JSON logger, the proxy,
 * and a clean stop on SIGTERM/SIGINT that leaves the rules in place (a restart rewrites
 * them). With --cleanup it removes the instance's rules and exits.
 * Exit codes: 0 after a clean stop or cleanup, 1 when it cannot start, 2 for bad flags.
 */
import { runMain } from '@tkube/process';
import { runCleanup } from './cleanup-main.js';
import { parseFlags, USAGE } from './config/flags.js';
import { startProxy } from './start-proxy.js';

const argv = process.argv.slice(2);
if (argv.includes('--cleanup')) {
  runCleanup(argv).then((code) => process.exit(code));
} else {
  runMain({
    name: 'tkube-proxy',
    usage: USAGE,
    parseFlags,
    component: 'proxy',
    logFields: (config) => ({ node: config.hostnameOverride, instance: config.instance }),
    start: (config, logger) => startProxy(config, { logger }),
    startFailure: 'the proxy could not start',
    stopDeadlineMs: 10_000,
  });
}
