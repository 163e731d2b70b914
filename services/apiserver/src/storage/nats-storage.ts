/**
 * The Storage contract on a NATS JetStream KV bucket: the cluster's state.
 *
 * Writes go to the bucket, and the stream sequence of each write is its revision (the
 * resourceVersion): create is kv.create, update is kv.update on the expected revision,
 * delete writes a delete marker with the expected last sequence. get reads the bucket
 * (from the stream leader, so it is consistent on a cluster too).
 *
 * Lists and watches are served from a watch cache in this process, fed by one ordered
 * consumer over the whole bucket (KvCacheFeed). A list first waits until the cache has
 * applied the stream's last sequence at the time of the call, so it sees every write
 * acknowledged before it, through this apiserver or any other on the same NATS.
 */
import {
  JetStreamApiCodes,
  JetStreamApiError,
  type JetStreamClient,
  type JetStreamManager,
  jetstream,
  jetstreamManager,
} from '@nats-io/jetstream';
import { type KV, Kvm } from '@nats-io/kv';
import { connect, Empty, headers, type NatsConnection } from '@nats-io/transport-node';
import { type KubeObject, StatusError } from '@tkube/api';
import { KvCacheFeed } from './kv-cache-feed.js';
import { stampRevision } from './stamp-revision.js';
import { FUTURE_REVISION_WAIT_MS, storageClosed, storageUnavailable } from './storage-errors.js';
import { type StorageLogger, silentLogger } from './storage-logger.js';
import {
  KeyExistsError,
  RevisionMismatchError,
  type Storage,
  type StorageSnapshot,
  type StorageWatch,
  type StoredObject,
} from './types.js';
import { WatchCache } from './watch-cache.js';

export interface NatsStorageOptions {
  servers: string | string[];
  /** The KV bucket holding every object (default "tkube"). */
  bucket?: string;
  /** Replicas of a new bucket: 1, or 3 on a 3-node cluster (default 1). */
  replicas?: number;
  /** Values kept per key by a new bucket (default 1: see DEFAULT_HISTORY). */
  history?: number;
  logger?: StorageLogger;
  /** Events the watch cache keeps for watch resume and paginated lists (default 50,000). */
  windowSize?: number;
  /** Undelivered events one watcher may hold before its watch is ended (default 10,000). */
  watcherBufferSize?: number;
  /** How long a list waits for the watch cache to catch up (default 5 s). */
  readTimeoutMs?: number;
  /** How long a NATS request may take (default 5 s). */
  requestTimeoutMs?: number;
  /** The connection's name, as NATS monitoring shows it. */
  connectionName?: string;
  /** Pause between reconnect attempts to the same server (default 250 ms). */
  reconnectWaitMs?: number;
}

export const DEFAULT_BUCKET = 'tkube';
/**
 * One value per key is enough: the watch cache keeps the recent history (with previous
 * values) that watch resume and lists at older revisions need, and a restarted apiserver
 * starts from the current state anyway. Older values would only cost disk.
 *
 * The catch: a consumer that lags can find a value already replaced. The feed fills such
 * a hole from this apiserver's own writes, but a hole left by ANOTHER apiserver's write
 * makes it reload the cache and end every watch. Several apiservers writing to one bucket
 * should therefore create it with a few values per key (history 5 kept the benchmark's
 * hot-key updates free of holes).
 */
const DEFAULT_HISTORY = 1;
const DEFAULT_WINDOW = 50_000;
const DEFAULT_WATCHER_BUFFER = 10_000;
const DEFAULT_TIMEOUT_MS = 5_000;
const DELETE_ATTEMPTS = 5;
const OPERATION_HEADER = 'KV-Operation';
const EXPECTED_LAST_SUBJECT_SEQUENCE = 'Nats-Expected-Last-Subject-Sequence';
/** What NATS KV accepts as a key (storageKey always makes one). */
const VALID_KEY = /^[-/=\w]+(?:\.[-/=\w]+)*$/;

interface NatsStorageParts {
  nc: NatsConnection;
  js: JetStreamClient;
  jsm: JetStreamManager;
  kv: KV;
  bucket: string;
  cache: WatchCache;
  feed: KvCacheFeed;
  readTimeoutMs: number;
}

export class NatsStorage implements Storage {
  private readonly stream: string;
  private closed = false;

  private constructor(private readonly parts: NatsStorageParts) {
    this.stream = streamOf(parts.bucket);
  }

  /** Connects, creates the bucket when missing and loads the watch cache. */
  static async open(options: NatsStorageOptions): Promise<NatsStorage> {
    const timeout = options.requestTimeoutMs ?? DEFAULT_TIMEOUT_MS;
    const bucket = options.bucket ?? DEFAULT_BUCKET;
    const logger = options.logger ?? silentLogger;
    const nc = await connect({
      servers: options.servers,
      name: options.connectionName ?? 'tkube-apiserver',
      maxReconnectAttempts: -1,
      reconnectTimeWait: options.reconnectWaitMs ?? 250,
      timeout,
      // nats.js otherwise builds an Error per request to keep its async stack: ~8% of the
      // apiserver's CPU under load (measured by the benchmark's profile).
      noAsyncTraces: true,
    });
    try {
      const js = jetstream(nc, { timeout });
      const jsm = await jetstreamManager(nc, { timeout });
      const kv = await new Kvm(js).create(bucket, {
        history: options.history ?? DEFAULT_HISTORY,
        replicas: options.replicas ?? 1,
        // Reads from the stream leader: consistent after a write, also on a cluster.
        allow_direct: false,
        description: 'tkube cluster state',
      });
      const cache = new WatchCache({
        windowSize: options.windowSize ?? DEFAULT_WINDOW,
        watcherBufferSize: options.watcherBufferSize ?? DEFAULT_WATCHER_BUFFER,
      });
      const feed = new KvCacheFeed({ nc, js, jsm, stream: streamOf(bucket), bucket, cache, logger });
      try {
        await feed.start(Math.max(timeout, 30_000));
      } catch (err) {
        feed.close();
        throw err;
      }
      return new NatsStorage({
        nc,
        js,
        jsm,
        kv,
        bucket,
        cache,
        feed,
        readTimeoutMs: options.readTimeoutMs ?? DEFAULT_TIMEOUT_MS,
      });
    } catch (err) {
      await nc.close().catch(() => undefined);
      throw err;
    }
  }

  /** How many times the watch cache was loaded from scratch (1 unless events were lost). */
  get cacheLoads(): number {
    return this.parts.feed.snapshotCount;
  }

  /** How many holes in the stream sequence the cache filled from this apiserver's own writes. */
  get cacheHolesFilled(): number {
    return this.parts.feed.filledHoleCount;
  }

  async create(key: string, object: KubeObject): Promise<number> {
    this.assertOpen();
    assertValidKey(key);
    const json = JSON.stringify(object);
    try {
      const revision = await this.parts.kv.create(key, encode(json));
      this.parts.feed.recordWrite(revision, key, json);
      return revision;
    } catch (err) {
      if (isWrongLastSequence(err)) throw new KeyExistsError(key);
      throw storageUnavailable('create', key, err);
    }
  }

  peek(key: string): StoredObject | undefined {
    this.assertOpen();
    return this.parts.cache.get(key);
  }

  async get(key: string): Promise<StoredObject | undefined> {
    this.assertOpen();
    assertValidKey(key);
    const entry = await this.parts.kv.get(key).catch((err: unknown) => {
      throw storageUnavailable('get', key, err);
    });
    if (entry?.operation !== 'PUT') return undefined;
    return { key, object: decode(entry.value, entry.revision, key), revision: entry.revision };
  }

  async update(key: string, object: KubeObject, expectedRevision: number): Promise<number> {
    this.assertOpen();
    assertValidKey(key);
    if (!(expectedRevision > 0))
      throw new RevisionMismatchError(key, expectedRevision, (await this.get(key))?.revision);
    const json = JSON.stringify(object);
    try {
      const revision = await this.parts.kv.update(key, encode(json), expectedRevision);
      this.parts.feed.recordWrite(revision, key, json);
      return revision;
    } catch (err) {
      if (isWrongLastSequence(err))
        throw new RevisionMismatchError(key, expectedRevision, await this.liveRevision(key));
      throw storageUnavailable('update', key, err);
    }
  }

  async delete(key: string, expectedRevision?: number): Promise<number> {
    this.assertOpen();
    assertValidKey(key);
    if (expectedRevision !== undefined) {
      if (!(expectedRevision > 0)) throw new RevisionMismatchError(key, expectedRevision, await this.liveRevision(key));
      const revision = await this.writeDeleteMarker(key, expectedRevision);
      if (revision === undefined) throw new RevisionMismatchError(key, expectedRevision, await this.liveRevision(key));
      return revision;
    }
    // No expected revision: delete whatever is live, retrying if a write slips in between.
    for (let attempt = 1; ; attempt++) {
      const current = await this.get(key);
      if (!current) throw new RevisionMismatchError(key, 0, undefined);
      const revision = await this.writeDeleteMarker(key, current.revision);
      if (revision !== undefined) return revision;
      if (attempt === DELETE_ATTEMPTS)
        throw new RevisionMismatchError(key, current.revision, await this.liveRevision(key));
    }
  }

  async list(prefix: string, atRevision?: number): Promise<StorageSnapshot> {
    this.assertOpen();
    const { cache, readTimeoutMs } = this.parts;
    if (atRevision === undefined) {
      await cache.waitFor(await this.lastSequence(), readTimeoutMs);
      return cache.list(prefix);
    }
    if (atRevision < cache.oldestRevision) return cache.list(prefix, atRevision); // throws RevisionCompactedError
    await cache.waitFor(atRevision, readTimeoutMs);
    return cache.list(prefix, atRevision);
  }

  async currentRevision(): Promise<number> {
    this.assertOpen();
    return Math.max(await this.lastSequence(), this.parts.cache.revision);
  }

  async watch(prefix: string, fromRevision: number): Promise<StorageWatch> {
    this.assertOpen();
    // A revision from the future (a client that saw a store since made anew) waits briefly,
    // then fails with "Too large resource version" so the client relists, as kube's watch cache.
    await this.parts.cache.waitFor(fromRevision, FUTURE_REVISION_WAIT_MS);
    return this.parts.cache.watch(prefix, fromRevision);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.parts.feed.close();
    this.parts.cache.close(storageClosed());
    await this.parts.nc.close();
  }

  /** Writes a delete marker if the key is still at `expected`; undefined if it is not. */
  private async writeDeleteMarker(key: string, expected: number): Promise<number | undefined> {
    const marker = headers();
    marker.set(OPERATION_HEADER, 'DEL');
    marker.set(EXPECTED_LAST_SUBJECT_SEQUENCE, String(expected));
    try {
      const ack = await this.parts.js.publish(`$KV.${this.parts.bucket}.${key}`, Empty, { headers: marker });
      this.parts.feed.recordWrite(ack.seq, key, undefined);
      return ack.seq;
    } catch (err) {
      if (isWrongLastSequence(err)) return undefined;
      throw storageUnavailable('delete', key, err);
    }
  }

  /** The revision of the key's live value, for a conflict's message; undefined if none. */
  private async liveRevision(key: string): Promise<number | undefined> {
    try {
      return (await this.get(key))?.revision;
    } catch {
      return undefined;
    }
  }

  private async lastSequence(): Promise<number> {
    try {
      return (await this.parts.jsm.streams.info(this.stream)).state.last_seq;
    } catch (err) {
      throw storageUnavailable('read', this.stream, err);
    }
  }

  private assertOpen(): void {
    if (this.closed) throw storageClosed();
  }
}

/** A key NATS would refuse is a bug in the caller (storageKey never makes one), not a 503. */
function assertValidKey(key: string): void {
  if (!VALID_KEY.test(key)) throw new Error(`invalid storage key: ${JSON.stringify(key)}`);
}

function streamOf(bucket: string): string {
  return `KV_${bucket}`;
}

function isWrongLastSequence(err: unknown): boolean {
  return (
    err instanceof JetStreamApiError &&
    (err.code === JetStreamApiCodes.StreamWrongLastSequence ||
      err.code === JetStreamApiCodes.StreamWrongLastSequenceUnknown)
  );
}

function encode(json: string): Uint8Array {
  return Buffer.from(json, 'utf8');
}

function decode(data: Uint8Array, revision: number, key: string): KubeObject {
  const value: unknown = JSON.parse(Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('utf8'));
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw StatusError.internal(`the stored value of ${key} is not an object`);
  }
  return stampRevision(value as KubeObject, revision);
}
