#!/usr/bin/env node
/**
 * tkube-cri-docker: the CRI (runtime.v1) server over Docker.
 *
 *   tkube-cri-docker --listen unix:///run/tkube/cri-docker.sock --docker-socket /var/run/docker.sock \
 *     --pause-image tkube/pause:3.10 --root-dir /var/lib/tkube/cri-docker --streaming-address 127.0.0.1:0 \
 *     [--instance node-1]   (default: default)
 *
 * Stops cleanly on SIGTERM/SIGINT (containers keep running). Exit codes: 0 after a clean
 * stop, 1 when the plugin cannot start, 2 for bad flags.
 */

import { runMain } from '@tkube/process';
import { DockerodeEngine } from './docker/dockerode-engine.js';
import { scopedEngine } from './docker/scoped-engine.js';
import { parseFlags } from './flags.js';
import { startCriDocker } from './plugin.js';

runMain({
  name: 'tkube-cri-docker',
  parseFlags: (argv) => ({ help: false, config: parseFlags(argv) }),
  component: 'cri-docker',
  start: async (flags, logger) => {
    const engine = new DockerodeEngine(flags.dockerSocket);
    const running = await startCriDocker({
      engine: scopedEngine(engine, flags.instance),
      logger,
      listen: flags.listen,
      pauseImage: flags.pauseImage,
      rootDir: flags.rootDir,
      streamingAddress: flags.streamingAddress,
    });
    logger.info({ socket: running.socketPath, streaming: running.streamingUrl }, 'tkube-cri-docker serving');
    return running;
  },
  startFailure: 'tkube-cri-docker could not start',
});
