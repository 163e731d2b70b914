#!/usr/bin/env node
/**
 * tkube-cri-fake: an in-memory CRI (runtime.v1) server, for tests and simulated nodes.
 *
 *   tkube-cri-fake --listen unix:///run/tkube/cri-fake.sock \
 *     --images busybox:1.35,busybox:latest,tkube/pause:3.10 --pod-cidr 10.88.0.0/16 --log-level info
 */

import { pino } from 'pino';
import { parseFlags } from './flags.js';
import { startFakeRuntime } from './start.js';

async function main(): Promise<void> {
  const flags = parseFlags(process.argv.slice(2));
  const logger = pino({ name: 'cri-fake', level: flags.logLevel });
  const running = await startFakeRuntime({
    listen: flags.listen,
    images: flags.images,
    podCidr: flags.podCidr,
    logger,
  });
  logger.info({ socket: running.socketPath, images: flags.images, podCidr: flags.podCidr }, 'tkube-cri-fake serving');

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    running.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        logger.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

main().catch((err: unknown) => {
  process.stderr.write(`tkube-cri-fake: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
