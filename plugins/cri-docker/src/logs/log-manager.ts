/**
 * The running log copies, one per container: started with the container, resumed for every
 * container when the plugin starts, reopened on the kubelet's request, stopped on removal.
 */

import type { Logger } from 'pino';
import type { DockerEngine } from '../docker/engine.js';
import { ContainerLog } from './container-log.js';

export interface FollowRequest {
  containerId: string;
  path: string;
  tty: boolean;
  running: boolean;
}

export class LogManager {
  private readonly logs = new Map<string, ContainerLog>();
  private readonly done = new Map<string, Promise<void>>();

  constructor(
    private readonly engine: DockerEngine,
    private readonly logger: Logger,
  ) {}

  /** Starts copying a container's output unless a copy already runs. */
  follow(request: FollowRequest): void {
    if (!request.path || this.logs.has(request.containerId)) return;
    const log = new ContainerLog({
      engine: this.engine,
      containerId: request.containerId,
      path: request.path,
      tty: request.tty,
      createFile: request.running,
    });
    this.logs.set(request.containerId, log);
    const finished = log
      .run()
      .catch((err: unknown) => {
        this.logger.warn({ err, containerId: request.containerId }, 'copying container logs failed');
      })
      .finally(() => {
        if (this.logs.get(request.containerId) === log) this.logs.delete(request.containerId);
        this.done.delete(request.containerId);
      });
    this.done.set(request.containerId, finished);
  }

  /** Resolves once the copy of a container ended (all its output is in the file). */
  async drained(containerId: string): Promise<void> {
    await this.done.get(containerId);
  }

  async reopen(containerId: string): Promise<boolean> {
    const log = this.logs.get(containerId);
    if (!log) return false;
    await log.reopen();
    return true;
  }

  stop(containerId: string): void {
    this.logs.get(containerId)?.stop();
    this.logs.delete(containerId);
  }

  async stopAll(): Promise<void> {
    for (const log of this.logs.values()) log.stop();
    this.logs.clear();
    await Promise.allSettled([...this.done.values()]);
  }
}
