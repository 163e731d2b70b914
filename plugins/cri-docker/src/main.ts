#!/usr/bin/env node
/**
 * tkube-cri-docker: the CRI (runtime.v1) server over Docker.
 *
 *   tkube-cri-docker --listen unix:///run/tkube/cri-docker.sock --docker-socket /var/run/docker.sock \
 *     --pause-image tkube/pause:3.10 --root-dir /var/lib/tkube/cri-docker --streaming-address 127.0.0.1:0 \
 *     [--instance node-1]
 */

import { pino } from 'pino';
import { DockerodeEngine } from './docker/dockerode-engine.js';
import { scopedEngine } from './docker/scoped-engine.js';
import { parseFlags } from './flags.js';
import { startCriDocker } from './plugin.js';

async function main(): Promise<void> {
  const flags = parseFlags(process.argv.slice(2));
  const logger = pino({ name: 'cri-docker', level: flags.logLevel });
  const running = await startCriDocker({
    engine: flags.instance
      ? scopedEngine(new DockerodeEngine(flags.dockerSocket), flags.instance)
      : new DockerodeEngine(flags.dockerSocket),
    logger,
    listen: flags.listen,
    pauseImage: flags.pauseImage,
    rootDir: flags.rootDir,
    streamingAddress: flags.streamingAddress,
  });
  logger.info({ socket: running.socketPath, streaming: running.streamingUrl }, 'tkube-cri-docker serving');

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
  process.stderr.write(`tkube-cri-docker: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
