/**
 * The source of GetContainerEvents: one follower of Docker's event stream (this plugin's
 * containers only: the managed label, and the instance label through the scoped engine)
 * fanned out to every subscriber. Each event carries its sandbox's status and the statuses
 * of the sandbox's containers, read when the event arrives (one inspect per object, in
 * parallel); subscribers get events in Docker's order. Reading the statuses after `die`
 * also waits for Docker to have recorded the exit, so whoever reacts reads it too.
 *
 * Docker's stream breaks when dockerd restarts: the follower reconnects with back-off and
 * asks Docker to replay from the last event it saw, so a short outage loses nothing.
 * Following starts with the first subscriber.
 */

import { type ContainerEventResponse, ContainerFilter, type ContainerStatus } from '@tkube/api/cri';
import type { Logger } from 'pino';
import type { ContainerService } from '../containers.js';
import type { DockerEngine, EngineEvent } from '../docker/engine.js';
import { MANAGED_LABEL } from '../labels.js';
import type { SandboxService } from '../sandboxes.js';
import { containerEventOf, sandboxIdOf } from './event-mapping.js';

export const RECONNECT_INITIAL_MS = 250;
export const RECONNECT_MULTIPLIER = 2;
export const RECONNECT_MAX_MS = 10_000;

export type ContainerEventListener = (event: ContainerEventResponse) => void;

export interface ContainerEventHubOptions {
  engine: DockerEngine;
  sandboxes: Pick<SandboxService, 'status'>;
  containers: Pick<ContainerService, 'list' | 'status'>;
  logger: Logger;
  reconnectInitialMs?: number;
  reconnectMaxMs?: number;
  /** Wall time in milliseconds (where a replay starts when no event was seen yet). */
  now?: () => number;
}

export class ContainerEventHub {
  private readonly listeners = new Map<ContainerEventListener, () => void>();
  private readonly abort = new AbortController();
  private following: Promise<void> | undefined;
  /** The delivery chain: statuses are read in parallel, events go out in order. */
  private delivered: Promise<void> = Promise.resolve();

  constructor(private readonly options: ContainerEventHubOptions) {}

  /** Adds a listener, and what to call when the hub stops; answers its removal. */
  subscribe(listener: ContainerEventListener, onStop: () => void = () => undefined): () => void {
    if (this.abort.signal.aborted) throw new Error('the container event hub is stopped');
    this.listeners.set(listener, onStop);
    this.following ??= this.follow(this.abort.signal);
    return () => this.listeners.delete(listener);
  }

  get subscribers(): number {
    return this.listeners.size;
  }

  /** Stops following Docker; pending deliveries finish first, then every subscriber is told. */
  async stop(): Promise<void> {
    this.abort.abort();
    await this.following;
    await this.delivered;
    const stopped = [...this.listeners.values()];
    this.listeners.clear();
    for (const onStop of stopped) onStop();
  }

  private async follow(signal: AbortSignal): Promise<void> {
    const { engine, logger } = this.options;
    const initialMs = this.options.reconnectInitialMs ?? RECONNECT_INITIAL_MS;
    const maxMs = this.options.reconnectMaxMs ?? RECONNECT_MAX_MS;
    const now = this.options.now ?? Date.now;
    let delayMs = initialMs;
    let sinceNanos: bigint | undefined;
    while (!signal.aborted) {
      const connectedAt = now();
      try {
        for await (const event of engine.events({ labels: { [MANAGED_LABEL]: 'true' }, sinceNanos, signal })) {
          sinceNanos = event.timeNanos;
          delayMs = initialMs;
          this.publish(event);
        }
      } catch (err) {
        logger.warn({ err: err instanceof Error ? err.message : String(err) }, 'following docker events failed');
      }
      if (signal.aborted) return;
      // Whatever happened while disconnected is replayed from here.
      sinceNanos ??= BigInt(connectedAt) * 1_000_000n;
      if (now() - connectedAt >= maxMs) delayMs = initialMs;
      await sleep(delayMs, signal);
      delayMs = Math.min(maxMs, delayMs * RECONNECT_MULTIPLIER);
    }
  }

  private publish(event: EngineEvent): void {
    const described = this.describe(event);
    this.delivered = this.delivered.then(async () => {
      const response = await described;
      for (const listener of this.listeners.keys()) {
        try {
          listener(response);
        } catch (err) {
          this.options.logger.warn({ err }, 'a container event subscriber failed');
        }
      }
    });
  }

  /** The CRI event with the statuses as they are now; objects gone are left out. */
  private async describe(event: EngineEvent): Promise<ContainerEventResponse> {
    const sandboxId = sandboxIdOf(event);
    if (!sandboxId) return containerEventOf(event, undefined, []);
    const [sandbox, statuses] = await Promise.all([
      this.options.sandboxes.status(sandboxId).then(
        (response) => response.status,
        () => undefined,
      ),
      this.memberStatuses(sandboxId),
    ]);
    return containerEventOf(event, sandbox, statuses);
  }

  private async memberStatuses(sandboxId: string): Promise<ContainerStatus[]> {
    const { containers } = this.options;
    const members = await containers.list(ContainerFilter.fromPartial({ podSandboxId: sandboxId })).catch(() => []);
    const statuses = await Promise.all(
      members.map((member) =>
        containers.status(member.id, false).then(
          (response) => response.status,
          () => undefined,
        ),
      ),
    );
    return statuses.filter((status): status is ContainerStatus => status !== undefined);
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}
