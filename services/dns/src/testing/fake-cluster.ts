/**
 * An in-memory apiserver for tests: list and watch (what informers need; a watch replays
 * what happened after the resourceVersion it starts from, as the apiserver's does) and get,
 * create, update and delete (what the kube-dns ensurer needs), with resourceVersions, uids,
 * and the StatusErrors the real client throws.
 */
import type { KubeList, KubeObject, WatchEvent } from '@tkube/api';
import { StatusError } from '@tkube/api';
import type { ResourceTarget, WatchOptions, WatchStream } from '@tkube/client';
import type { DnsClient } from '../start-dns.js';

type Listener = (event: WatchEvent) => void;

export class FakeCluster implements DnsClient {
  private readonly objects = new Map<string, Map<string, KubeObject>>();
  private readonly listeners = new Map<string, Set<Listener>>();
  private readonly history: { resource: string; version: number; event: WatchEvent }[] = [];
  private version = 1;
  private uids = 0;
  /** Calls to create/update/delete, "create services kube-system/kube-dns". */
  readonly writes: string[] = [];
  /** Set to make every write fail with it (an apiserver that refuses). */
  failWritesWith: Error | undefined;

  async list<T extends KubeObject>(target: ResourceTarget): Promise<KubeList<T>> {
    const items = [...this.collection(target).values()].filter(
      (o) => target.namespace === undefined || o.metadata?.namespace === target.namespace,
    );
    return {
      apiVersion: 'v1',
      kind: 'List',
      metadata: { resourceVersion: String(this.version) },
      items: structuredClone(items) as T[],
    };
  }

  watch<T extends KubeObject>(target: ResourceTarget, options: WatchOptions = {}): WatchStream<T> {
    const queue: WatchEvent<T>[] = [];
    let wake: (() => void) | undefined;
    let stopped = false;
    const listener: Listener = (event) => {
      if (target.namespace !== undefined && event.object.metadata?.namespace !== target.namespace) return;
      queue.push(structuredClone(event) as WatchEvent<T>);
      wake?.();
    };
    const since = Number(options.resourceVersion || this.version);
    for (const past of this.history) {
      if (past.resource === resourceId(target) && past.version > since) listener(past.event);
    }
    const listeners = this.listenersOf(target);
    listeners.add(listener);
    const stop = () => {
      stopped = true;
      listeners.delete(listener);
      wake?.();
    };
    async function* events(): AsyncGenerator<WatchEvent<T>> {
      while (!stopped) {
        const next = queue.shift();
        if (next) {
          yield next;
          continue;
        }
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
        wake = undefined;
      }
    }
    const iterator = events();
    return { stop, [Symbol.asyncIterator]: () => iterator };
  }

  async get<T extends KubeObject>(target: ResourceTarget, name: string): Promise<T> {
    const object = this.collection(target).get(keyOf(target.namespace, name));
    if (!object) throw StatusError.notFound({ group: target.group, resource: target.resource, name });
    return structuredClone(object) as T;
  }

  async create<T extends KubeObject>(target: ResourceTarget, object: T): Promise<T> {
    this.checkWrite(`create ${target.resource} ${target.namespace}/${object.metadata?.name}`);
    const name = object.metadata?.name ?? '';
    const key = keyOf(target.namespace ?? object.metadata?.namespace, name);
    const collection = this.collection(target);
    if (collection.has(key)) throw StatusError.alreadyExists({ group: target.group, resource: target.resource, name });
    const stored = {
      ...structuredClone(object),
      metadata: {
        ...object.metadata,
        namespace: target.namespace ?? object.metadata?.namespace,
        uid: `uid-${++this.uids}`,
        resourceVersion: String(++this.version),
      },
    } as T;
    collection.set(key, stored);
    this.emit(target, { type: 'ADDED', object: stored });
    return structuredClone(stored);
  }

  async update<T extends KubeObject>(target: ResourceTarget, object: T): Promise<T> {
    this.checkWrite(`update ${target.resource} ${target.namespace}/${object.metadata?.name}`);
    const name = object.metadata?.name ?? '';
    const key = keyOf(target.namespace ?? object.metadata?.namespace, name);
    const collection = this.collection(target);
    const current = collection.get(key);
    if (!current) throw StatusError.notFound({ group: target.group, resource: target.resource, name });
    const stored = {
      ...structuredClone(object),
      metadata: { ...object.metadata, uid: current.metadata?.uid, resourceVersion: String(++this.version) },
    } as T;
    collection.set(key, stored);
    this.emit(target, { type: 'MODIFIED', object: stored });
    return structuredClone(stored);
  }

  async delete(target: ResourceTarget, name: string): Promise<void> {
    this.checkWrite(`delete ${target.resource} ${target.namespace}/${name}`);
    const key = keyOf(target.namespace, name);
    const collection = this.collection(target);
    const current = collection.get(key);
    if (!current) throw StatusError.notFound({ group: target.group, resource: target.resource, name });
    collection.delete(key);
    this.version++;
    this.emit(target, {
      type: 'DELETED',
      object: { ...current, metadata: { ...current.metadata, resourceVersion: String(this.version) } },
    });
  }

  /** Objects of a resource, as stored. */
  stored<T extends KubeObject>(target: ResourceTarget): T[] {
    return [...this.collection(target).values()] as T[];
  }

  private checkWrite(what: string): void {
    if (this.failWritesWith) throw this.failWritesWith;
    this.writes.push(what);
  }

  private emit(target: ResourceTarget, event: WatchEvent): void {
    this.history.push({ resource: resourceId(target), version: this.version, event });
    for (const listener of this.listenersOf(target)) listener(event);
  }

  private collection(target: ResourceTarget): Map<string, KubeObject> {
    const id = resourceId(target);
    let collection = this.objects.get(id);
    if (!collection) this.objects.set(id, (collection = new Map()));
    return collection;
  }

  private listenersOf(target: ResourceTarget): Set<Listener> {
    const id = resourceId(target);
    let listeners = this.listeners.get(id);
    if (!listeners) this.listeners.set(id, (listeners = new Set()));
    return listeners;
  }
}

function keyOf(namespace: string | undefined, name: string): string {
  return `${namespace ?? ''}/${name}`;
}

function resourceId(target: ResourceTarget): string {
  return `${target.group}/${target.resource}`;
}
