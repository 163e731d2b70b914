/**
 * A watch that outlives its stream: when the server ends one (its timeout, a dropped
 * connection), it is reopened from the last resourceVersion seen, a bounded number of times.
 */
import type { RestClient } from '../../../bench-kit/rest-client.ts';

const MAX_REOPENS = 5;

export interface FollowedWatch {
  /** Resolves once the first stream is open: events after it are seen. */
  opened: Promise<void>;
  /** Rejects when the watch breaks for good (an ERROR event, too many reopens). */
  failed: Promise<never>;
  stop(): void;
}

export function followWatch(
  client: RestClient,
  path: string,
  onObject: (type: string, object: Record<string, unknown>) => void,
): FollowedWatch {
  let stopped = false;
  let stopCurrent = () => {};
  let resourceVersion = '';
  let fail: (err: Error) => void = () => {};
  const failed = new Promise<never>((_, reject) => {
    fail = reject;
  });
  // Nobody may be listening when it fails after the run: that must not crash the process.
  failed.catch(() => undefined);

  const open = (reopens: number): Promise<void> => {
    const from =
      resourceVersion === '' ? path : `${path}${path.includes('?') ? '&' : '?'}resourceVersion=${resourceVersion}`;
    const stream = client.watch(from, (event) => {
      if (event.type === 'ERROR') {
        fail(new Error(`watch ${path}: ${JSON.stringify(event.object).slice(0, 300)}`));
        return;
      }
      const metadata = event.object.metadata as { resourceVersion?: string } | undefined;
      if (metadata?.resourceVersion) resourceVersion = metadata.resourceVersion;
      if (event.type !== 'BOOKMARK') onObject(event.type, event.object);
    });
    stopCurrent = stream.stop;
    void stream.ended.then(() => {
      if (stopped) return;
      if (reopens >= MAX_REOPENS) fail(new Error(`watch ${path} ended ${reopens + 1} times`));
      else open(reopens + 1).catch((err: unknown) => fail(err instanceof Error ? err : new Error(String(err))));
    });
    return stream.opened;
  };

  return {
    opened: open(0),
    failed,
    stop() {
      stopped = true;
      stopCurrent();
    },
  };
}
