#!/usr/bin/env node
/**
 * tkube-cri-fake: an in-memory CRI (runtime.v1) server, for tests and simulated nodes.
 *
 *   tkube-cri-fake --listen unix:///run/tkube/cri-fake.sock \
 *     --images busybox:1.35,busybox:latest,tkube/pause:3.10 --pod-cidr 10.88.0.0/16 --log-level info
 *
 * Stops cleanly on SIGTERM/SIGINT. Exit codes: 0 after a clean stop, 1 when the runtime
 * cannot start, 2 for bad flags.
 */

import { runMain } from '@tkube/process';
import { parseFlags } from './flags.js';
import { startFakeRuntime } from './start.js';

runMain({
  name: 'tkube-cri-fake',
  parseFlags: (argv) => ({ help: false, config: parseFlags(argv) }),
  component: 'cri-fake',
  start: async (flags, logger) => {
    const running = await startFakeRuntime({
      listen: flags.listen,
      images: flags.images,
      podCidr: flags.podCidr,
      logger,
    });
    logger.info({ socket: running.socketPath, images: flags.images, podCidr: flags.podCidr }, 'tkube-cri-fake serving');
    return running;
  },
  startFailure: 'tkube-cri-fake could not start',
  stopDeadlineMs: 10_000,
});
