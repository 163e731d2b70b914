/**
 * The restart back-off of crashing containers, kube's flowcontrol.Backoff as the kubelet
 * uses it: the first restart is at once; each one after waits 10 s, doubling up to 5 min;
 * a container that ran for longer than twice the maximum (10 min) since its last back-off
 * starts over. Keys name a container of a pod ("<pod uid>/<container>/<hash>"); times are
 * those of the container's last exit, milliseconds since the epoch.
 */

export const INITIAL_BACKOFF_MS = 10_000;
export const MAX_BACKOFF_MS = 300_000;

interface Entry {
  backoffMs: number;
  lastUpdate: number;
}

export class CrashBackoff {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly now: () => number = Date.now,
    private readonly initialMs = INITIAL_BACKOFF_MS,
    private readonly maxMs = MAX_BACKOFF_MS,
  ) {}

  /** Whether the restart after an exit at `eventTime` must still wait. */
  isInBackOffSince(key: string, eventTime: number): boolean {
    const entry = this.entries.get(key);
    if (!entry || this.hasExpired(eventTime, entry)) return false;
    return this.now() - eventTime < entry.backoffMs;
  }

  /** Milliseconds until the restart after an exit at `eventTime` may happen (0: now). */
  remaining(key: string, eventTime: number): number {
    const entry = this.entries.get(key);
    if (!entry || this.hasExpired(eventTime, entry)) return 0;
    return Math.max(0, eventTime + entry.backoffMs - this.now());
  }

  /** Records a restart: the next one waits longer. */
  next(key: string, eventTime: number): void {
    const entry = this.entries.get(key);
    if (!entry || this.hasExpired(eventTime, entry)) {
      this.entries.set(key, { backoffMs: this.initialMs, lastUpdate: this.now() });
      return;
    }
    entry.backoffMs = Math.min(entry.backoffMs * 2, this.maxMs);
    entry.lastUpdate = this.now();
  }

  /** The current delay of the key (for messages: "back-off 20s restarting ..."). */
  delayOf(key: string): number {
    return this.entries.get(key)?.backoffMs ?? 0;
  }

  /** Forgets keys whose pods are gone. */
  forgetPrefix(prefix: string): void {
    for (const key of this.entries.keys()) if (key.startsWith(prefix)) this.entries.delete(key);
  }

  private hasExpired(eventTime: number, entry: Entry): boolean {
    return eventTime - entry.lastUpdate > 2 * this.maxMs;
  }
}
