/**
 * NatsStorage on a 3-node NATS JetStream cluster with 3 replicas, the HA setup.
 *
 * The storage contract holds there as on one server. Then the fault tests: while writers
 * create and update objects through two apiservers' storages, one NATS node is killed
 * (SIGKILL) and later restarted: a follower of the bucket's stream in one test, its
 * leader in the other. A write that failed (503, outcome unknown) is not acknowledged.
 * Every ACKNOWLEDGED write must then be in the stream at its revision with its value; the
 * newest state (read by a fresh apiserver on the surviving nodes, and through each watch
 * cache) must hold every key at or after its last acknowledged revision; and watches
 * opened before the fault must have seen every acknowledged write once, in revision
 * order, or have ended so that the client relists, and then the relist must hold them.
 */
import { DeliverPolicy, type JetStreamManager, jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { type KubeObject, StatusError } from '@tkube/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type NatsClusterHandle, type NatsClusterNode, startNatsCluster } from '../testing/nats-cluster.js';
import { describeStorageContract } from './contract.js';
import { storageKey, storagePrefix } from './keys.js';
import { NatsStorage } from './nats-storage.js';
import {
  KeyExistsError,
  RevisionMismatchError,
  type StorageEvent,
  type StorageWatch,
  type StoredObject,
} from './types.js';

const configMaps = { group: '', resource: 'configmaps' };
const NAMESPACE = 'ha';
const PREFIX = storagePrefix(configMaps, NAMESPACE);
const runId = Date.now().toString(36);

// The write load: bounded in count and time, paced so that it spans the whole fault.
const WRITERS_PER_STORAGE = 2;
const WRITERS = 2 * WRITERS_PER_STORAGE;
const KEYS_PER_WRITER = 25;
const MAX_ATTEMPTS = 2_000;
const MAX_ATTEMPTS_PER_WRITER = MAX_ATTEMPTS / WRITERS;
const MAX_WRITING_MS = 25_000;
const WRITE_PAUSE_MS = 40;
const RETRY_PAUSE_MS = 100;
/**
 * Values kept per key: more than one writer can make per key (500 attempts over 25 keys),
 * so the stream still holds every write at its own revision when the test reads it back.
 */
const HISTORY = 64;

// Acknowledged writes each phase must reach; the waits are generous for a loaded CI box
// (a raft election after a leader dies takes a few seconds, longer when the box is busy).
const WRITES_BEFORE_FAULT = 100;
const WRITES_WHILE_DOWN = 100;
const WRITES_AFTER_RESTART = 50;
const PHASE_TIMEOUT_MS = 20_000;
const CATCH_UP_TIMEOUT_MS = 30_000;
const REQUEST_TIMEOUT_MS = 2_000;
const STREAM_READ_TIMEOUT_MS = 10_000;

let cluster: NatsClusterHandle;

beforeAll(async () => {
  cluster = await startNatsCluster({ size: 3 });
});

afterAll(async () => {
  await cluster?.stop();
});

describeStorageContract('NATS JetStream KV on a 3-node cluster, 3 replicas', (options) =>
  NatsStorage.open({ servers: cluster.urls, replicas: 3, windowSize: options?.windowSize, readTimeoutMs: 2_000 }),
);

describe('NatsStorage on a 3-node cluster losing a node', () => {
  it('loses no acknowledged write when a follower of the stream is killed and restarted', async () => {
    await runFault('follower');
  });

  it('loses no acknowledged write when the stream leader is killed and restarted', async () => {
    await runFault('leader');
  });
});

type VictimRole = 'follower' | 'leader';

async function runFault(role: VictimRole): Promise<void> {
  const bucket = `ha-${role}-${runId}`;
  const stream = `KV_${bucket}`;
  const open = (name: string, servers: string[]) =>
    NatsStorage.open({
      servers,
      bucket,
      replicas: 3,
      history: HISTORY,
      requestTimeoutMs: REQUEST_TIMEOUT_MS,
      connectionName: `${bucket}-${name}`,
    });
  const storages: NatsStorage[] = [];
  const watches: StorageWatch[] = [];
  let victim: NatsClusterNode | undefined;
  let victimDown = false;
  let load: WriteLoad | undefined;
  const admin = await connect({ servers: cluster.urls, maxReconnectAttempts: -1, reconnectTimeWait: 250 });
  try {
    // Two apiservers write, the first also serves a watch; a third only watches. Writer B
    // is given every node (it makes the bucket); writer A and the watcher only the node
    // that will die, so that they surely lose their connection and fail over through the
    // servers the cluster advertises.
    const writerB = await open('writer-b', cluster.urls);
    storages.push(writerB);
    const jsm = await jetstreamManager(admin, { timeout: REQUEST_TIMEOUT_MS });
    const leaderBefore = await streamLeader(jsm, stream);
    victim = role === 'leader' ? leaderBefore : followerOf(leaderBefore);
    const writerA = await open('writer-a', [victim.url]);
    storages.push(writerA);
    const watcher = await open('watcher', [victim.url]);
    storages.push(watcher);
    const watched: { name: string; storage: NatsStorage; record: WatchRecord }[] = [];
    for (const [name, storage] of [
      ['writer-a', writerA],
      ['watcher', watcher],
    ] as const) {
      const watch = await storage.watch(PREFIX, await storage.currentRevision());
      watches.push(watch);
      watched.push({ name, storage, record: recordWatch(watch) });
    }

    const ledger = new WriteLedger();
    const writing = startWriters({ a: writerA, b: writerB }, ledger);
    load = writing;
    await waitFor('writes before the fault', () => ledger.acknowledgedCount >= WRITES_BEFORE_FAULT || writing.finished);

    // The fault hits what the test claims: the intended node, with clients on it.
    expect((await streamLeader(jsm, stream)).name, 'the stream leader before the fault').toBe(leaderBefore.name);
    expect(await clientsOn(victim, bucket), `test clients on ${victim.name}`).toBeGreaterThanOrEqual(2);
    const beforeKill = ledger.acknowledgedCount;
    await victim.kill();
    victimDown = true;
    // Writer A, which was connected to the dead node, must write again too.
    const writerAFailedOver = () => ledger.acknowledged.slice(beforeKill).some((write) => write.writer.startsWith('a'));
    await waitFor(
      `writes while ${victim.name} is down`,
      () => (ledger.acknowledgedCount >= beforeKill + WRITES_WHILE_DOWN && writerAFailedOver()) || writing.finished,
    );
    const whileDown = ledger.acknowledgedCount - beforeKill;
    expect(writerAFailedOver(), 'writer A wrote again after its node died').toBe(true);
    await victim.restart();
    victimDown = false;
    const afterRestart = ledger.acknowledgedCount;
    await waitFor(
      `writes after ${victim.name} restarted`,
      () => ledger.acknowledgedCount >= afterRestart + WRITES_AFTER_RESTART || writing.finished,
    );
    await writing.stop();

    // The load really spanned the fault, and no write broke the writers' bookkeeping.
    expect(beforeKill).toBeGreaterThanOrEqual(WRITES_BEFORE_FAULT);
    expect(whileDown).toBeGreaterThanOrEqual(WRITES_WHILE_DOWN);
    expect(ledger.acknowledgedCount - afterRestart).toBeGreaterThan(0);
    expect(ledger.unexpected).toEqual([]);

    // The restarted node caught up: every replica of the stream is current again.
    await waitFor('every replica current', async () => {
      const info = await jsm.streams.info(stream).catch(() => undefined);
      const replicas = info?.cluster?.replicas ?? [];
      return info?.cluster?.leader !== undefined && replicas.length === 2 && replicas.every((peer) => peer.current);
    });

    // Each acknowledged write is in the stream, at its revision, with its value.
    const stored = await readStream(admin, stream, ledger.maxAcknowledgedRevision);
    expect(missingFromStream(ledger, stored)).toEqual([]);

    // A fresh apiserver on the nodes that stayed up finds the newest state of every key.
    const survivors = cluster.nodes.filter((node) => node !== victim).map((node) => node.url);
    const fresh = await open('fresh', survivors);
    storages.push(fresh);
    const freshList = await eventually(() => fresh.list(PREFIX));
    expect(stateProblems(ledger, freshList.items)).toEqual([]);
    const gets = await eventually(async () => {
      const items: StoredObject[] = [];
      for (const key of ledger.keys()) {
        const item = await fresh.get(key);
        if (item) items.push(item);
      }
      return items;
    });
    expect(stateProblems(ledger, gets)).toEqual([]);

    // The watch caches that lived through the fault hold the same newest state.
    for (const storage of [writerA, writerB, watcher]) {
      const snapshot = await eventually(() => storage.list(PREFIX));
      expect(stateProblems(ledger, snapshot.items)).toEqual([]);
    }

    // Watches opened before the fault: every acknowledged write once, in order, or an
    // end (the client relists) after which the relist holds every write.
    for (const { name, storage, record } of watched) {
      await waitFor(
        `the watch on ${name} to reach revision ${ledger.maxAcknowledgedRevision}`,
        () => record.ended || record.lastRevision >= ledger.maxAcknowledgedRevision,
        CATCH_UP_TIMEOUT_MS,
      );
      expect(outOfOrder(record.events), `watch on ${name}`).toEqual([]);
      expect(missingFromWatch(ledger, record), `watch on ${name}`).toEqual([]);
      if (record.ended) {
        const relist = await eventually(() => storage.list(PREFIX));
        expect(stateProblems(ledger, relist.items), `relist on ${name}`).toEqual([]);
      }
    }
  } finally {
    await load?.stop();
    for (const watch of watches) watch.stop();
    for (const storage of storages) await storage.close().catch(() => undefined);
    await admin.close().catch(() => undefined);
    // The next test needs all three nodes.
    if (victim && victimDown) await victim.restart();
  }
}

async function streamLeader(jsm: JetStreamManager, stream: string): Promise<NatsClusterNode> {
  const name = await eventually(async () => {
    const leader = (await jsm.streams.info(stream)).cluster?.leader;
    if (!leader) throw new Error(`stream ${stream} has no leader`);
    return leader;
  });
  const node = cluster.nodes.find((candidate) => candidate.name === name);
  if (!node) throw new Error(`the stream leader ${name} is not one of the cluster's nodes`);
  return node;
}

function followerOf(leader: NatsClusterNode): NatsClusterNode {
  const follower = cluster.nodes.find((node) => node !== leader);
  if (!follower) throw new Error('a cluster of one has no follower');
  return follower;
}

/** How many of this test's storages are connected to the node (from its /connz). */
async function clientsOn(node: NatsClusterNode, bucket: string): Promise<number> {
  try {
    const response = await fetch(`${node.monitorUrl}/connz?limit=1024`, { signal: AbortSignal.timeout(2_000) });
    const body = (await response.json()) as { connections?: { name?: string }[] };
    return (body.connections ?? []).filter((c) => c.name?.startsWith(`${bucket}-`)).length;
  } catch {
    return 0;
  }
}

// ---- the write load ----

interface Write {
  writer: string;
  key: string;
  value: string;
  revision: number;
}

/**
 * What the writers did. Each writer owns its keys, so after a failed write it can learn
 * the truth from a get; a conflict is expected only on a key whose write had an unknown
 * outcome (it may have landed, possibly after the error).
 */
class WriteLedger {
  readonly acknowledged: Write[] = [];
  /** Per key, the values of writes that failed with 503: each may or may not have landed. */
  private readonly unknown = new Map<string, Set<string>>();
  /** Anything a writer did not expect, for the test to show. */
  readonly unexpected: string[] = [];
  maxAcknowledgedRevision = 0;

  get acknowledgedCount(): number {
    return this.acknowledged.length;
  }

  acknowledge(write: Write): void {
    this.acknowledged.push(write);
    this.maxAcknowledgedRevision = Math.max(this.maxAcknowledgedRevision, write.revision);
  }

  outcomeUnknown(key: string, value: string): void {
    const values = this.unknown.get(key) ?? new Set<string>();
    values.add(value);
    this.unknown.set(key, values);
  }

  hadUnknownOutcome(key: string): boolean {
    return this.unknown.has(key);
  }

  unacknowledgedValues(key: string): ReadonlySet<string> {
    return this.unknown.get(key) ?? new Set();
  }

  keys(): string[] {
    return [...new Set([...this.acknowledged.map((w) => w.key), ...this.unknown.keys()])].sort();
  }

  /** The newest acknowledged write of each key. */
  lastAcknowledged(): Map<string, Write> {
    const last = new Map<string, Write>();
    for (const write of this.acknowledged) {
      const seen = last.get(write.key);
      if (!seen || write.revision > seen.revision) last.set(write.key, write);
    }
    return last;
  }
}

interface WriteLoad {
  /** True once every writer stopped (budget spent or stop called). */
  readonly finished: boolean;
  stop(): Promise<void>;
}

/** WRITERS_PER_STORAGE writers on each storage, named after it ("a0", "a1", "b0", ..). */
function startWriters(storages: Record<string, NatsStorage>, ledger: WriteLedger): WriteLoad {
  const deadline = Date.now() + MAX_WRITING_MS;
  let stopping = false;
  let finished = false;
  const writers = Object.entries(storages).flatMap(([name, storage]) =>
    Array.from({ length: WRITERS_PER_STORAGE }, (_, w) =>
      runWriter(storage, `${name}${w}`, ledger, () => stopping || Date.now() > deadline),
    ),
  );
  const all = Promise.all(writers).finally(() => {
    finished = true;
  });
  return {
    get finished() {
      return finished;
    },
    async stop() {
      stopping = true;
      await all;
    },
  };
}

/** Creates, then updates, its own keys in turn until told to stop or out of attempts. */
async function runWriter(storage: NatsStorage, writer: string, ledger: WriteLedger, stop: () => boolean) {
  // The revision each key is known to be at; absent: not created, or to be read first.
  const known = new Map<string, number>();
  const toRead = new Set<string>();
  for (let attempt = 0; attempt < MAX_ATTEMPTS_PER_WRITER && !stop(); attempt++) {
    const name = `${writer}-k${attempt % KEYS_PER_WRITER}`;
    const key = storageKey(configMaps, NAMESPACE, name);
    const value = `${writer}-${attempt}`;
    try {
      if (toRead.has(key)) {
        const current = await storage.get(key);
        if (current) known.set(key, current.revision);
        else known.delete(key);
        toRead.delete(key);
      }
      const expected = known.get(key);
      const object = configMap(name, value);
      const revision =
        expected === undefined ? await storage.create(key, object) : await storage.update(key, object, expected);
      known.set(key, revision);
      ledger.acknowledge({ writer, key, value, revision });
      await sleep(WRITE_PAUSE_MS);
    } catch (err) {
      toRead.add(key);
      if (err instanceof StatusError && err.code === 503) {
        ledger.outcomeUnknown(key, value);
      } else if (err instanceof KeyExistsError || err instanceof RevisionMismatchError) {
        if (!ledger.hadUnknownOutcome(key)) ledger.unexpected.push(`${key}: ${err.message}`);
      } else {
        ledger.unexpected.push(`${key}: ${err instanceof Error ? err.stack : String(err)}`);
      }
      await sleep(RETRY_PAUSE_MS);
    }
  }
}

function configMap(name: string, value: string): KubeObject {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: NAMESPACE }, data: { value } };
}

function dataValue(object: KubeObject | undefined): unknown {
  return (object?.data as Record<string, unknown> | undefined)?.value;
}

// ---- what the store and the watches hold ----

/**
 * The newest state must hold every key at or after its last acknowledged revision: at it
 * with its value, after it only with a value of a write whose outcome was unknown.
 */
function stateProblems(ledger: WriteLedger, items: StoredObject[]): string[] {
  const problems: string[] = [];
  const byKey = new Map(items.map((item) => [item.key, item]));
  const lastAcknowledged = ledger.lastAcknowledged();
  for (const [key, last] of lastAcknowledged) {
    const item = byKey.get(key);
    const value = dataValue(item?.object);
    if (!item) problems.push(`${key}: missing (last acknowledged at ${last.revision})`);
    else if (item.revision < last.revision)
      problems.push(`${key}: at revision ${item.revision}, older than its acknowledged ${last.revision}`);
    else if (item.revision === last.revision && value !== last.value)
      problems.push(`${key}@${item.revision}: value ${String(value)}, acknowledged ${last.value}`);
    else if (item.revision > last.revision && !ledger.unacknowledgedValues(key).has(String(value)))
      problems.push(`${key}@${item.revision}: value ${String(value)} was never written`);
  }
  for (const item of items) {
    const value = String(dataValue(item.object));
    if (!lastAcknowledged.has(item.key) && !ledger.unacknowledgedValues(item.key).has(value))
      problems.push(`${item.key}: holds ${value}, which no writer wrote`);
  }
  return problems;
}

/** The bucket's stream from its first message up to `last`: key and value by sequence. */
async function readStream(
  nc: NatsConnection,
  stream: string,
  last: number,
): Promise<Map<number, { key: string; value: unknown }>> {
  return eventually(async () => {
    const consumer = await jetstream(nc).consumers.get(stream, { deliver_policy: DeliverPolicy.All });
    const messages = await consumer.consume();
    const bySequence = new Map<number, { key: string; value: unknown }>();
    const timer = setTimeout(() => messages.stop(), STREAM_READ_TIMEOUT_MS);
    try {
      for await (const message of messages) {
        const object: unknown = message.data.length > 0 ? message.json() : undefined;
        bySequence.set(message.seq, {
          key: message.subject.replace(/^\$KV\.[^.]+\./, ''),
          value: dataValue(object as KubeObject | undefined),
        });
        if (message.seq >= last || message.info.pending === 0) break;
      }
    } finally {
      clearTimeout(timer);
      messages.stop();
    }
    if (!bySequence.has(last))
      throw new Error(`read the stream up to ${Math.max(0, ...bySequence.keys())}, not ${last}`);
    return bySequence;
  });
}

function missingFromStream(ledger: WriteLedger, stored: Map<number, { key: string; value: unknown }>): string[] {
  const problems: string[] = [];
  for (const write of ledger.acknowledged) {
    const message = stored.get(write.revision);
    if (message?.key !== write.key || message.value !== write.value)
      problems.push(`${write.key}@${write.revision}=${write.value}: stream holds ${JSON.stringify(message)}`);
  }
  return problems;
}

interface WatchRecord {
  events: StorageEvent[];
  /** The storage ended the watch (it is told apart from our own stop at the end). */
  ended: boolean;
  lastRevision: number;
}

function recordWatch(watch: StorageWatch): WatchRecord {
  const record: WatchRecord = { events: [], ended: false, lastRevision: 0 };
  void (async () => {
    for await (const event of watch.events) {
      record.events.push(event);
      record.lastRevision = event.revision;
    }
    record.ended = true;
  })();
  return record;
}

/** Revisions must rise strictly: in order, and none twice. */
function outOfOrder(events: StorageEvent[]): string[] {
  const problems: string[] = [];
  for (let i = 1; i < events.length; i++) {
    if (events[i].revision <= events[i - 1].revision)
      problems.push(`event ${i} at revision ${events[i].revision} after ${events[i - 1].revision}`);
  }
  return problems;
}

/** Every acknowledged write the watch reached (all of them unless it ended) is among its events. */
function missingFromWatch(ledger: WriteLedger, record: WatchRecord): string[] {
  const byRevision = new Map(record.events.map((event) => [event.revision, event]));
  const reached = record.ended ? record.lastRevision : Number.POSITIVE_INFINITY;
  const problems: string[] = [];
  for (const write of ledger.acknowledged) {
    if (write.revision > reached) continue;
    const event = byRevision.get(write.revision);
    if (event?.type !== 'put' || event.key !== write.key || dataValue(event.object) !== write.value)
      problems.push(`${write.key}@${write.revision}=${write.value}: watch saw ${event ? event.type : 'nothing'}`);
  }
  return problems;
}

// ---- waiting ----

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function waitFor(what: string, done: () => boolean | Promise<boolean>, timeoutMs = PHASE_TIMEOUT_MS) {
  const deadline = Date.now() + timeoutMs;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what} after ${timeoutMs} ms`);
    await sleep(100);
  }
}

/** Retries a read while the cluster settles (503 or 504), bounded. */
async function eventually<T>(read: () => Promise<T>, timeoutMs = CATCH_UP_TIMEOUT_MS): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await read();
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await sleep(250);
    }
  }
}
