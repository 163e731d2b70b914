#!/usr/bin/env node
/**
 * tkube-kubelet: flags, a JSON logger, the kubelet, and a clean stop on SIGTERM/SIGINT
 * (pods keep running; the next kubelet adopts them). Exit codes: 0 after a clean stop,
 * 1 when the kubelet cannot start, 2 for bad flags.
 */
import { runMain } from '@tkube/process';
import { parseFlags, USAGE } from './config/flags.js';
import { startKubelet } from './kubelet.js';

runMain({
  name: 'tkube-kubelet',
  usage: USAGE,
  parseFlags,
  component: 'kubelet',
  logFields: (config) => ({ node: config.nodeName }),
  start: (config, logger) => startKubelet(config, { logger }),
  startFailure: 'the kubelet could not start',
  stopDeadlineMs: 20_000,
});
