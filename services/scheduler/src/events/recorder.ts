/**
 * The scheduler's event recorder: core/v1 Events about pods with source.component
 * "default-scheduler" (the scheduler's name), reasons Scheduled and FailedScheduling.
 *
 * As client-go's broadcaster, recording never blocks and never throws: events wait in a
 * bounded queue (1,000) that a few posters drain, and when the apiserver cannot keep up
 * the newest are dropped, counted, rather than slowing scheduling down. An event that
 * repeats one already posted (same pod, type, reason and message) raises the first one's
 * count instead of posting another, as kube's correlator does.
 */
import type { Event, KubeObject } from '@tkube/api';

export type EventType = 'Normal' | 'Warning';

export interface EventRecorder {
  event(object: KubeObject, type: EventType, reason: string, message: string): void;
}

/** What the recorder needs of the apiserver. */
export interface EventSink {
  create(event: Event): Promise<unknown>;
  /** Sets count and lastTimestamp of an existing event. */
  patchCount(namespace: string, name: string, count: number, lastTimestamp: string): Promise<unknown>;
}

export interface QueuedEventRecorderOptions {
  sink: EventSink;
  /** source.component and reportingController: the scheduler's name. */
  component: string;
  /** reportingInstance: this scheduler's identity. */
  instance: string;
  maxQueued?: number;
  concurrency?: number;
  onError?: (err: unknown) => void;
  now?: () => Date;
}

export const MAX_QUEUED_EVENTS = 1_000;
const DEFAULT_CONCURRENCY = 4;
const MAX_REMEMBERED = 4_096;

interface Posted {
  namespace: string;
  name: string;
  count: number;
  /** Posting the first one is still under way: count patches must wait for it. */
  created: Promise<void>;
}

export class QueuedEventRecorder implements EventRecorder {
  private readonly queue: Array<() => Promise<unknown>> = [];
  private readonly posted = new Map<string, Posted>();
  private active = 0;
  private idleWaiters: Array<() => void> = [];
  private readonly maxQueued: number;
  private readonly concurrency: number;
  private readonly now: () => Date;
  /** Events dropped because the queue was full. */
  dropped = 0;

  constructor(private readonly options: QueuedEventRecorderOptions) {
    this.maxQueued = options.maxQueued ?? MAX_QUEUED_EVENTS;
    this.concurrency = options.concurrency ?? DEFAULT_CONCURRENCY;
    this.now = options.now ?? (() => new Date());
  }

  event(object: KubeObject, type: EventType, reason: string, message: string): void {
    if (this.queue.length >= this.maxQueued) {
      this.dropped++;
      return;
    }
    const meta = object.metadata ?? {};
    const timestamp = this.now()
      .toISOString()
      .replace(/\.\d+Z$/, 'Z');
    const key = [meta.uid, meta.namespace, meta.name, type, reason, message].join('\u0000');
    const previous = this.posted.get(key);
    if (previous) {
      previous.count += 1;
      const { namespace, name, count, created } = previous;
      this.enqueue(async () => {
        await created;
        await this.options.sink.patchCount(namespace, name, count, timestamp);
      });
      return;
    }
    const namespace = meta.namespace || 'default';
    const name = `${meta.name ?? 'unknown'}.${uniqueSuffix(this.now())}`;
    const event: Event = {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name, namespace },
      involvedObject: {
        kind: object.kind ?? 'Pod',
        apiVersion: object.apiVersion ?? 'v1',
        namespace: meta.namespace,
        name: meta.name,
        uid: meta.uid,
        resourceVersion: meta.resourceVersion,
      },
      reason,
      message,
      type,
      source: { component: this.options.component },
      firstTimestamp: timestamp,
      lastTimestamp: timestamp,
      count: 1,
      reportingComponent: this.options.component,
      reportingInstance: this.options.instance,
    };
    let markCreated: () => void = () => undefined;
    const created = new Promise<void>((resolve) => {
      markCreated = resolve;
    });
    this.remember(key, { namespace, name, count: 1, created });
    this.enqueue(() => this.options.sink.create(event).finally(markCreated));
  }

  /** Resolves once everything recorded so far was posted (or failed). */
  flush(): Promise<void> {
    if (this.active === 0 && this.queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private enqueue(post: () => Promise<unknown>): void {
    this.queue.push(post);
    this.pump();
  }

  private pump(): void {
    while (this.active < this.concurrency && this.queue.length > 0) {
      const post = this.queue.shift() as () => Promise<unknown>;
      this.active++;
      post()
        .catch((err: unknown) => this.options.onError?.(err))
        .finally(() => {
          this.active--;
          this.pump();
          if (this.active === 0 && this.queue.length === 0) {
            const waiters = this.idleWaiters;
            this.idleWaiters = [];
            for (const resolve of waiters) resolve();
          }
        });
    }
  }

  private remember(key: string, posted: Posted): void {
    if (this.posted.size >= MAX_REMEMBERED) {
      const oldest = this.posted.keys().next().value;
      if (oldest !== undefined) this.posted.delete(oldest);
    }
    this.posted.set(key, posted);
  }
}

/** kube names events "<object>.<hex of the time in ns>". */
function uniqueSuffix(now: Date): string {
  const nanos = BigInt(now.getTime()) * 1_000_000n + BigInt(Math.floor(Math.random() * 1_000_000));
  return nanos.toString(16);
}
