/**
 * Remembers, for a few seconds, why a WebSocket exec/attach upgrade failed. kubectl 1.35
 * retries every failed WebSocket upgrade over SPDY, which tkube does not serve; answering
 * that retry with the first attempt's reason (the kubelet is unreachable, it refused)
 * shows the user the real cause instead of "SPDY is not supported".
 */
import type { StatusError } from '@tkube/api';

const DEFAULT_TTL_MS = 10_000;
const DEFAULT_MAX_ENTRIES = 1000;

export class RecentFailures {
  private readonly entries = new Map<string, { error: StatusError; at: number }>();

  constructor(
    private readonly ttlMs = DEFAULT_TTL_MS,
    private readonly maxEntries = DEFAULT_MAX_ENTRIES,
    private readonly now: () => number = Date.now,
  ) {}

  record(key: string, error: StatusError): void {
    this.entries.delete(key);
    this.entries.set(key, { error, at: this.now() });
    // Oldest first: Map keeps insertion order.
    for (const oldest of this.entries.keys()) {
      if (this.entries.size <= this.maxEntries) break;
      this.entries.delete(oldest);
    }
  }

  /** The failure recorded under `key` within the time to live, forgotten once taken. */
  take(key: string): StatusError | undefined {
    const entry = this.entries.get(key);
    this.entries.delete(key);
    return entry && this.now() - entry.at <= this.ttlMs ? entry.error : undefined;
  }
}
