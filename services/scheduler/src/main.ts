#!/usr/bin/env node
/**
 * tkube-scheduler: flags, a JSON logger, the scheduler with the default plugins, and a
 * clean stop on SIGTERM/SIGINT (bindings under way finish, the Lease is released).
 * Exit codes: 0 after a clean stop, 1 when it cannot start, 2 for bad flags.
 * /healthz, /readyz and /metrics on --healthz-bind-address (plain HTTP).
 */
import { runMain } from '@tkube/process';
import { parseFlags, USAGE } from './config/flags.js';
import { defaultPlugins, podInfoOf } from './plugins/index.js';
import { startScheduler } from './start-scheduler.js';

runMain({
  name: 'tkube-scheduler',
  usage: USAGE,
  parseFlags,
  component: 'scheduler',
  logFields: (config) => ({ identity: config.identity }),
  start: (config, logger) => startScheduler(config, { logger, plugins: defaultPlugins(), podInfoOf }),
  startFailure: 'the scheduler could not start',
  stopDeadlineMs: 15_000,
});
