/**
 * The worker loop every controller shares (client-go's processNextWorkItem): take a key,
 * sync it, forget its back-off on success, requeue it rate-limited on failure, mark it
 * done. Workers start only once the caches have synced, or they would act on an empty
 * cache (and, say, create pods that already exist).
 */
import { toStatusError } from '@tkube/api';
import type { RateLimitingQueue } from '@tkube/client';
import type { Logger, RunningController } from './types.js';

export interface ControllerLoopOptions {
  name: string;
  queue: RateLimitingQueue<string>;
  /** Parallel workers; a key is never synced by two at once (the queue sees to it). */
  workers: number;
  sync: (key: string) => Promise<void>;
  /** True once every cache the controller reads has synced. */
  hasSynced: () => boolean;
  logger: Logger;
  /** How often to check hasSynced before starting workers. */
  syncPollMs?: number;
}

export function runController(options: ControllerLoopOptions): RunningController {
  const { name, queue, logger } = options;
  let stopped = false;
  let pollTimer: NodeJS.Timeout | undefined;

  const worker = async (): Promise<void> => {
    for (;;) {
      const key = await queue.get();
      if (key === undefined) return;
      try {
        await options.sync(key);
        queue.forget(key);
      } catch (err) {
        const error = toStatusError(err);
        logger.warn({ controller: name, key, err: error.message }, 'sync failed, requeued');
        if (!stopped) queue.addRateLimited(key);
      } finally {
        queue.done(key);
      }
    }
  };

  const workersDone = new Promise<void>((resolve) => {
    const startWorkers = () => {
      if (stopped) return resolve();
      if (!options.hasSynced()) {
        pollTimer = setTimeout(startWorkers, options.syncPollMs ?? 50);
        return;
      }
      logger.info({ controller: name, workers: options.workers }, 'caches synced, starting workers');
      const all = Array.from({ length: Math.max(1, options.workers) }, () => worker());
      void Promise.all(all).then(() => resolve());
    };
    startWorkers();
  });

  return {
    name,
    async stop() {
      stopped = true;
      if (pollTimer) clearTimeout(pollTimer);
      queue.shutDown();
      await workersDone;
    },
  };
}
