/**
 * Feeds a WatchCache from ONE ordered consumer over the whole KV bucket: first the last
 * value of every key (the snapshot), then every later write in stream order (through a
 * SequenceApplier, which fills or reports holes in the sequence).
 *
 * This talks to the bucket's stream through @nats-io/jetstream rather than kv.watch,
 * because it needs what kv.watch hides: each message's pending count (the snapshot is
 * complete when the consumer has caught up) and control over where a new consumer starts.
 *
 * After a reconnect (or when the server lost the consumer) the feed resumes right after
 * the cache's revision, so nothing is lost or doubled. When events were lost after all,
 * it reads a fresh snapshot: the cache resets, every watch ends, and the watchers relist.
 */
import {
  type ConsumerMessages,
  DeliverPolicy,
  type JetStreamClient,
  type JetStreamManager,
  type JsMsg,
} from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import type { KubeObject } from '@tkube/api';
import { type Change, SequenceApplier } from './sequence-applier.js';
import { stampRevision } from './stamp-revision.js';
import type { StorageLogger } from './storage-logger.js';
import type { StoredObject } from './types.js';
import type { WatchCache } from './watch-cache.js';

const OPERATION_HEADER = 'KV-Operation';
const RETRY_INITIAL_MS = 100;
const RETRY_MAX_MS = 2_000;
/** How long a hole in the sequence may wait for this process's acknowledgements. */
const HOLE_WAIT_MS = 250;

type RestartKind = 'resume' | 'snapshot';

interface SnapshotInProgress {
  items: Map<string, StoredObject>;
  /** Messages the consumer had pending when it was made: all of them are the snapshot. */
  expected: number;
  received: number;
  /** The newest sequence seen, starting at the stream's last one before the consumer. */
  revision: number;
}

export interface KvCacheFeedOptions {
  nc: NatsConnection;
  js: JetStreamClient;
  jsm: JetStreamManager;
  /** The bucket's stream ("KV_tkube"). */
  stream: string;
  bucket: string;
  cache: WatchCache;
  logger: StorageLogger;
}

export class KvCacheFeed {
  private readonly subjectPrefix: string;
  private readonly applier: SequenceApplier;
  /** Bumped on every (re)start: messages of an older consumer are ignored. */
  private generation = 0;
  private messages: ConsumerMessages | undefined;
  private snapshot: SnapshotInProgress | undefined;
  private restartWanted: RestartKind | undefined;
  private restartLoopRunning = false;
  private closed = false;
  private snapshotsTaken = 0;
  private readonly firstSnapshot: { resolve: () => void; promise: Promise<void> };

  constructor(private readonly options: KvCacheFeedOptions) {
    this.subjectPrefix = `$KV.${options.bucket}.`;
    this.applier = new SequenceApplier({
      cache: options.cache,
      decode: (key, json, revision) => this.decode(key, json, revision),
      onLost: (expected, received) => {
        options.logger.warn(
          { expected, received },
          'storage: events were lost on the way to the watch cache; reloading it',
        );
        this.requestRestart('snapshot');
      },
      holeWaitMs: HOLE_WAIT_MS,
    });
    let resolve: () => void = () => {};
    const promise = new Promise<void>((r) => {
      resolve = r;
    });
    this.firstSnapshot = { resolve, promise };
  }

  /** How many snapshots have been read (1 after start; more after lost events). */
  get snapshotCount(): number {
    return this.snapshotsTaken;
  }

  /** How many holes in the sequence were filled from this process's own writes. */
  get filledHoleCount(): number {
    return this.applier.filledHoles;
  }

  /** Starts following the bucket; resolves once the first snapshot is in the cache. */
  async start(timeoutMs: number): Promise<void> {
    void this.followConnection();
    this.requestRestart('snapshot');
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no snapshot of the bucket within ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      await Promise.race([this.firstSnapshot.promise, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** A write this process made and NATS acknowledged (json undefined for a delete). */
  recordWrite(revision: number, key: string, json: string | undefined): void {
    this.applier.recordWrite(revision, key, json);
  }

  close(): void {
    this.closed = true;
    this.generation += 1;
    this.stopConsumer();
  }

  private async followConnection(): Promise<void> {
    for await (const status of this.options.nc.status()) {
      if (this.closed) return;
      if (status.type === 'reconnect') {
        this.options.logger.info({ server: status.server }, 'storage: reconnected to NATS; resuming the watch cache');
        this.requestRestart('resume');
      }
    }
  }

  private requestRestart(kind: RestartKind): void {
    if (this.closed) return;
    if (kind === 'snapshot' || this.restartWanted === undefined) this.restartWanted = kind;
    this.generation += 1;
    this.stopConsumer();
    if (!this.restartLoopRunning) {
      this.restartLoopRunning = true;
      void this.runRestarts();
    }
  }

  private stopConsumer(): void {
    this.snapshot = undefined;
    this.applier.reset();
    this.messages?.stop();
    this.messages = undefined;
  }

  private async runRestarts(): Promise<void> {
    let failures = 0;
    while (this.restartWanted !== undefined && !this.closed) {
      const kind = this.restartWanted;
      this.restartWanted = undefined;
      try {
        await this.subscribe(kind, this.generation);
        failures = 0;
      } catch (err) {
        if (this.restartWanted === undefined) this.restartWanted = kind;
        failures += 1;
        const delayMs = Math.min(RETRY_MAX_MS, RETRY_INITIAL_MS * 2 ** (failures - 1));
        this.options.logger.warn({ err, kind, failures, delayMs }, 'storage: could not follow the KV bucket; retrying');
        await new Promise((resolve) => setTimeout(resolve, delayMs));
      }
    }
    this.restartLoopRunning = false;
  }

  private async subscribe(requested: RestartKind, generation: number): Promise<void> {
    const { js, jsm, stream, cache } = this.options;
    const lastSequence = (await jsm.streams.info(stream)).state.last_seq;
    // A stream behind the cache was made anew: nothing in it continues what we hold.
    const kind: RestartKind = requested === 'resume' && lastSequence < cache.revision ? 'snapshot' : requested;
    const filter = `${this.subjectPrefix}>`;
    const consumer = await js.consumers.getPushConsumer(
      stream,
      kind === 'snapshot'
        ? { filter_subjects: filter, deliver_policy: DeliverPolicy.LastPerSubject }
        : { filter_subjects: filter, deliver_policy: DeliverPolicy.StartSequence, opt_start_seq: cache.revision + 1 },
    );
    if (generation !== this.generation) {
      await consumer.delete().catch(() => undefined);
      return;
    }
    if (kind === 'snapshot') {
      const pending = (await consumer.info(true)).num_pending;
      this.snapshot = { items: new Map(), expected: pending, received: 0, revision: lastSequence };
      if (pending === 0) this.finishSnapshot();
    }
    const messages = await consumer.consume({ callback: (message) => this.onMessage(generation, message) });
    this.messages = messages;
    void this.watchConsumer(messages, generation);
  }

  /** The ordered consumer reports when the server lost it; start again from our revision. */
  private async watchConsumer(messages: ConsumerMessages, generation: number): Promise<void> {
    for await (const status of messages.status()) {
      if (generation !== this.generation) return;
      if (status.type === 'consumer_deleted' || status.type === 'heartbeats_missed') {
        this.options.logger.warn({ status: status.type }, 'storage: the KV consumer was lost; resuming');
        this.requestRestart('resume');
        return;
      }
    }
  }

  private onMessage(generation: number, message: JsMsg): void {
    if (generation !== this.generation) return;
    const change = this.read(message);
    const snapshot = this.snapshot;
    if (!snapshot) {
      this.applier.push(change);
      return;
    }
    snapshot.received += 1;
    snapshot.revision = Math.max(snapshot.revision, change.revision);
    if (change.object)
      snapshot.items.set(change.key, { key: change.key, object: change.object, revision: change.revision });
    else snapshot.items.delete(change.key);
    if (message.info.pending === 0 || snapshot.received >= snapshot.expected) this.finishSnapshot();
  }

  private finishSnapshot(): void {
    const snapshot = this.snapshot;
    if (!snapshot) return;
    this.snapshot = undefined;
    this.options.cache.reset(snapshot.items.values(), snapshot.revision);
    this.applier.reset(snapshot.revision);
    this.snapshotsTaken += 1;
    this.options.logger.info(
      { revision: snapshot.revision, objects: snapshot.items.size, snapshots: this.snapshotsTaken },
      'storage: watch cache loaded from the KV bucket',
    );
    this.firstSnapshot.resolve();
  }

  /** The message as a change; no object for a delete marker. */
  private read(message: JsMsg): Change {
    const key = message.subject.slice(this.subjectPrefix.length);
    const revision = message.seq;
    const operation = message.headers?.get(OPERATION_HEADER);
    if (operation === 'DEL' || operation === 'PURGE') return { revision, key, object: undefined };
    const { data } = message;
    return {
      revision,
      key,
      object: this.decode(key, Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('utf8'), revision),
    };
  }

  /** A value that is not a JSON object is treated as absent (and logged): it is no object. */
  private decode(key: string, json: string, revision: number): KubeObject | undefined {
    try {
      const value: unknown = JSON.parse(json);
      if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
        return stampRevision(value as KubeObject, revision);
      }
    } catch {
      // Reported below.
    }
    this.options.logger.error({ key, revision }, 'storage: a KV value is not a JSON object; ignoring it');
    return undefined;
  }
}
