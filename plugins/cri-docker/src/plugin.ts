/**
 * The plugin assembled: engine, services, streaming server and gRPC server, started and
 * stopped as one.
 */

import { mkdir } from 'node:fs/promises';
import { grpcTargetOf, socketPathOf } from '@tkube/api/cri';
import type { ServingGrpc } from '@tkube/process';
import type { Logger } from 'pino';
import { ContainerService } from './containers.js';
import { serveCri } from './cri-server.js';
import type { DockerEngine } from './docker/engine.js';
import { ContainerEventHub } from './events/container-event-hub.js';
import { ImageService } from './images.js';
import { LogManager } from './logs/log-manager.js';
import { SandboxDnsFiles } from './sandbox-dns-files.js';
import { SandboxService } from './sandboxes.js';
import { StreamingServer } from './streaming/streaming-server.js';

export interface CriDockerOptions {
  engine: DockerEngine;
  logger: Logger;
  listen: string;
  pauseImage: string;
  rootDir: string;
  streamingAddress: string;
}

export interface RunningCriDocker {
  socketPath: string;
  streamingUrl: string;
  stop(): Promise<void>;
}

export async function startCriDocker(options: CriDockerOptions): Promise<RunningCriDocker> {
  const { engine, logger } = options;
  const socketPath = socketPathOf(options.listen);
  await mkdir(options.rootDir, { recursive: true });

  const logs = new LogManager(engine, logger);
  const streaming = new StreamingServer({ engine, logger, address: options.streamingAddress });
  await streaming.start();
  const dnsFiles = new SandboxDnsFiles(options.rootDir);
  const sandboxes = new SandboxService({ engine, logs, pauseImage: options.pauseImage, logger, dnsFiles });
  const containers = new ContainerService({ engine, logs, logger, dnsFiles });
  const images = new ImageService(engine, options.pauseImage);
  const events = new ContainerEventHub({ engine, sandboxes, containers, logger });

  let serving: ServingGrpc;
  try {
    // A socket left by an earlier process is replaced; anything else at the path is refused.
    serving = await serveCri(
      { engine, sandboxes, containers, images, streaming, events, logger },
      grpcTargetOf(options.listen),
    );
  } catch (err) {
    await streaming.stop();
    throw err;
  }
  // Log copies of containers made before this process started pick up where they stopped.
  containers.resumeLogs().catch((err: unknown) => logger.warn({ err }, 'resuming container logs failed'));

  return {
    socketPath,
    streamingUrl: streaming.url,
    stop: async () => {
      // Event streams never end on their own: they end first, so the server drains at once.
      await events.stop();
      await serving.stop();
      await streaming.stop();
      await logs.stopAll();
    },
  };
}
