#!/usr/bin/env node
/**
 * tkube-apiserver: flags, a JSON logger, the server, and a clean stop on SIGTERM/SIGINT
 * (cut short after 20 s: a stuck connection must not block exit).
 * Exit codes: 0 after a clean stop, 1 when the server cannot start, 2 for bad flags.
 */
import { runMain } from '@tkube/process';
import { parseFlags, USAGE } from './config/flags.js';
import { startApiServer } from './server.js';

runMain({
  name: 'tkube-apiserver',
  usage: USAGE,
  parseFlags,
  component: 'apiserver',
  start: (config, logger) => startApiServer(config, { logger }),
  startFailure: 'the apiserver could not start',
  stopDeadlineMs: 20_000,
});
