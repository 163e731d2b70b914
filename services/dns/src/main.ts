#!/usr/bin/env node
/**
 * tkube-dns: the cluster DNS. Flags, a JSON logger, the server, and a clean stop on
 * SIGTERM/SIGINT. `--cleanup --interface NAME` removes the interface and exits instead.
 * Exit codes: 0 after a clean stop or cleanup, 1 when it cannot start or clean up, 2 for bad flags.
 */
import { runMain } from '@tkube/process';
import { runCleanup } from './cleanup.js';
import { parseFlags, USAGE } from './config/flags.js';
import { startDns } from './start-dns.js';

const argv = process.argv.slice(2);
if (argv.includes('--cleanup')) {
  runCleanup(argv).then((code) => process.exit(code));
} else {
  runMain({
    name: 'tkube-dns',
    usage: USAGE,
    parseFlags,
    component: 'dns',
    start: (config, logger) => {
      if (config.kind !== 'serve') throw new Error('--cleanup is handled before the server starts');
      return startDns(config, { logger });
    },
    startFailure: 'the DNS server could not start',
    stopDeadlineMs: 10_000,
  });
}
