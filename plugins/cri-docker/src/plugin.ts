/**
 * The plugin assembled: engine, services, streaming server and gRPC server, started and
 * stopped as one.
 */

import { lstat, mkdir, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Server } from '@grpc/grpc-js';
import { socketPathOf } from '@tkube/api/cri';
import type { Logger } from 'pino';
import { ContainerService } from './containers.js';
import { serveCri } from './cri-server.js';
import type { DockerEngine } from './docker/engine.js';
import { ImageService } from './images.js';
import { LogManager } from './logs/log-manager.js';
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

/** Removes a socket file left by a previous process; refuses to remove anything else. */
async function removeStaleSocket(path: string): Promise<void> {
  const existing = await lstat(path).catch(() => undefined);
  if (!existing) return;
  if (!existing.isSocket()) throw new Error(`${path} exists and is not a socket`);
  await unlink(path);
}

export async function startCriDocker(options: CriDockerOptions): Promise<RunningCriDocker> {
  const { engine, logger } = options;
  const socketPath = socketPathOf(options.listen);
  await mkdir(options.rootDir, { recursive: true });
  await mkdir(dirname(socketPath), { recursive: true });
  await removeStaleSocket(socketPath);

  const logs = new LogManager(engine, logger);
  const streaming = new StreamingServer({ engine, logger, address: options.streamingAddress });
  await streaming.start();
  const sandboxes = new SandboxService({ engine, logs, pauseImage: options.pauseImage, logger });
  const containers = new ContainerService({ engine, logs, logger });
  const images = new ImageService(engine, options.pauseImage);

  let server: Server;
  try {
    server = await serveCri({ engine, sandboxes, containers, images, streaming, logger }, socketPath);
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
      await new Promise<void>((resolve) => {
        const force = setTimeout(() => {
          server.forceShutdown();
          resolve();
        }, 5_000);
        server.tryShutdown(() => {
          clearTimeout(force);
          resolve();
        });
      });
      await streaming.stop();
      await logs.stopAll();
      await unlink(socketPath).catch(() => undefined);
    },
  };
}
