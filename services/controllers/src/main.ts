#!/usr/bin/env node
/**
 * tkube-controller-manager: flags, a JSON logger, the controllers, and a clean stop on
 * SIGTERM/SIGINT (work under way finishes, the Lease is released).
 * Exit codes: 0 after a clean stop, 1 when it cannot start, 2 for bad flags.
 */
import { runMain } from '@tkube/process';
import { parseFlags, USAGE } from './config/flags.js';
import { startControllerManager } from './controller-manager.js';

runMain({
  name: 'tkube-controller-manager',
  usage: USAGE,
  parseFlags,
  component: 'controller-manager',
  logFields: (config) => ({ identity: config.identity }),
  start: (config, logger) => startControllerManager(config, { logger }),
  startFailure: 'the controller-manager could not start',
  stopDeadlineMs: 15_000,
});
