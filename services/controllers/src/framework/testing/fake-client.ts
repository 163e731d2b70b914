/**
 * An in-memory apiserver for controller unit tests: list, watch (real Informers run on
 * it), get, create (generateName, uid, resourceVersion), update, updateStatus, merge
 * patch, delete (finalizers and propagationPolicy set deletionTimestamp instead). It
 * records every write so tests can assert what a controller did.
 */
import type { DeleteOptions, KubeList, KubeObject, Status, WatchEvent } from '@tkube/api';
import { StatusError } from '@tkube/api';
import type { ListOptions, PatchOptions, PatchType, ResourceTarget, WatchStream } from '@tkube/client';
import type { ControllerClient } from '../types.js';

export interface RecordedWrite {
  verb: 'create' | 'update' | 'updateStatus' | 'patch' | 'delete';
  resource: string;
  namespace: string;
  name: string;
  body?: unknown;
}

interface Watcher {
  resource: string;
  namespace?: string;
  push(event: WatchEvent<KubeObject>): void;
}

let uidCounter = 0;

export class FakeClient implements ControllerClient {
  private readonly objects = new Map<string, KubeObject>();
  private readonly watchers = new Set<Watcher>();
  private revision = 1;
  /** Events held back from watchers (a lagging cache), or undefined when they flow. */
  private held: Array<{ resource: string; event: WatchEvent<KubeObject> }> | undefined;
  readonly writes: RecordedWrite[] = [];
  /** Makes the next writes matching the predicate fail with the error. */
  failWhen: ((write: RecordedWrite) => StatusError | undefined) | undefined;

  /** Stores an object as if created by someone else (no write recorded). */
  seed<T extends KubeObject>(target: ResourceTarget, object: T): T {
    return this.store(target.resource, this.complete(object), 'ADDED');
  }

  /** The stored object, or undefined. */
  peek<T extends KubeObject = KubeObject>(target: ResourceTarget, namespace: string, name: string): T | undefined {
    return this.objects.get(storeKey(target.resource, namespace, name)) as T | undefined;
  }

  all<T extends KubeObject = KubeObject>(target: ResourceTarget, namespace?: string): T[] {
    return [...this.objects.entries()]
      .filter(([key]) => key.startsWith(`${target.resource}/${namespace === undefined ? '' : `${namespace}/`}`))
      .map(([, object]) => object as T);
  }

  /** Removes an object for good (as the apiserver does once finalizers are gone). */
  remove(target: ResourceTarget, namespace: string, name: string): void {
    const key = storeKey(target.resource, namespace, name);
    const object = this.objects.get(key);
    if (!object) return;
    this.objects.delete(key);
    const deleted = this.bump(structuredClone(object));
    this.emit(target.resource, { type: 'DELETED', object: deleted });
  }

  async get<T extends KubeObject = KubeObject>(target: ResourceTarget, name: string): Promise<T> {
    const object = this.objects.get(storeKey(target.resource, target.namespace ?? '', name));
    if (!object) throw StatusError.notFound({ group: target.group, resource: target.resource, name });
    return structuredClone(object) as T;
  }

  async list<T extends KubeObject = KubeObject>(target: ResourceTarget, _options?: ListOptions): Promise<KubeList<T>> {
    return {
      apiVersion: 'v1',
      kind: 'List',
      metadata: { resourceVersion: String(this.revision) },
      items: structuredClone(this.all<T>(target, target.namespace)),
    };
  }

  watch<T extends KubeObject = KubeObject>(target: ResourceTarget): WatchStream<T> {
    const pending: WatchEvent<KubeObject>[] = [];
    let wake: (() => void) | undefined;
    let stopped = false;
    const watcher: Watcher = {
      resource: target.resource,
      namespace: target.namespace,
      push: (event) => {
        pending.push(event);
        wake?.();
      },
    };
    this.watchers.add(watcher);
    const watchers = this.watchers;
    async function* events(): AsyncGenerator<WatchEvent<T>> {
      try {
        while (!stopped) {
          const event = pending.shift();
          if (event) {
            yield event as WatchEvent<T>;
            continue;
          }
          await new Promise<void>((resolve) => {
            wake = resolve;
          });
          wake = undefined;
        }
      } finally {
        watchers.delete(watcher);
      }
    }
    const iterator = events();
    return {
      [Symbol.asyncIterator]: () => iterator,
      stop: () => {
        stopped = true;
        watchers.delete(watcher);
        wake?.();
      },
    };
  }

  async create<T extends KubeObject>(target: ResourceTarget, object: T): Promise<T> {
    const namespace = target.namespace ?? object.metadata?.namespace ?? '';
    const completed = this.complete({ ...structuredClone(object), metadata: { ...object.metadata, namespace } });
    const name = completed.metadata?.name ?? '';
    this.record({ verb: 'create', resource: target.resource, namespace, name, body: completed });
    if (this.objects.has(storeKey(target.resource, namespace, name))) {
      throw StatusError.alreadyExists({ group: target.group, resource: target.resource, name });
    }
    return structuredClone(this.store(target.resource, completed, 'ADDED'));
  }

  async update<T extends KubeObject>(target: ResourceTarget, object: T): Promise<T> {
    return this.replace('update', target, object);
  }

  async updateStatus<T extends KubeObject>(target: ResourceTarget, object: T): Promise<T> {
    return this.replace('updateStatus', target, object);
  }

  async patch<T extends KubeObject = KubeObject>(
    target: ResourceTarget,
    name: string,
    type: PatchType,
    patch: unknown,
    _options?: PatchOptions,
  ): Promise<T> {
    const namespace = target.namespace ?? '';
    this.record({ verb: 'patch', resource: target.resource, namespace, name, body: patch });
    const current = this.objects.get(storeKey(target.resource, namespace, name));
    if (!current) throw StatusError.notFound({ group: target.group, resource: target.resource, name });
    if (type !== 'merge' && type !== 'strategic') throw StatusError.badRequest(`fake client: ${type} patch`);
    const patched = mergePatch(structuredClone(current), patch) as KubeObject;
    patched.metadata = { ...patched.metadata, generation: nextGeneration(target.resource, patched, current) };
    const precondition = (patch as { metadata?: { uid?: string } }).metadata?.uid;
    if (precondition && precondition !== current.metadata?.uid)
      throw StatusError.conflict({ group: target.group, resource: target.resource, name }, 'uid');
    return structuredClone(this.settle(target.resource, patched)) as T;
  }

  async delete<T extends KubeObject = KubeObject>(
    target: ResourceTarget,
    name: string,
    options: DeleteOptions = {},
  ): Promise<T | Status> {
    const namespace = target.namespace ?? '';
    this.record({ verb: 'delete', resource: target.resource, namespace, name, body: options });
    const current = this.objects.get(storeKey(target.resource, namespace, name));
    if (!current) throw StatusError.notFound({ group: target.group, resource: target.resource, name });
    const uid = options.preconditions?.uid;
    if (uid && uid !== current.metadata?.uid)
      throw StatusError.conflict({ group: target.group, resource: target.resource, name }, 'uid');
    const object = structuredClone(current);
    const metadata = object.metadata ?? {};
    const finalizers = new Set(metadata.finalizers ?? []);
    if (options.propagationPolicy === 'Foreground') finalizers.add('foregroundDeletion');
    if (options.propagationPolicy === 'Orphan') finalizers.add('orphan');
    if (finalizers.size > 0) {
      metadata.finalizers = [...finalizers];
      metadata.deletionTimestamp ??= new Date().toISOString();
      object.metadata = metadata;
      return structuredClone(this.store(target.resource, object, 'MODIFIED')) as T;
    }
    this.remove(target, namespace, name);
    return structuredClone(object) as T;
  }

  private replace<T extends KubeObject>(verb: 'update' | 'updateStatus', target: ResourceTarget, object: T): T {
    const namespace = target.namespace ?? object.metadata?.namespace ?? '';
    const name = object.metadata?.name ?? '';
    this.record({ verb, resource: target.resource, namespace, name, body: object });
    const current = this.objects.get(storeKey(target.resource, namespace, name));
    if (!current) throw StatusError.notFound({ group: target.group, resource: target.resource, name });
    const rv = object.metadata?.resourceVersion;
    if (rv && rv !== current.metadata?.resourceVersion)
      throw StatusError.conflict({ group: target.group, resource: target.resource, name }, 'stale');
    const next = structuredClone(object) as KubeObject;
    if (verb === 'updateStatus') {
      next.spec = current.spec;
      // Deployments and ReplicaSets take annotations with their status, as in kube.
      const annotations = ANNOTATED_STATUS.has(target.resource)
        ? next.metadata?.annotations
        : current.metadata?.annotations;
      next.metadata = { ...current.metadata, annotations };
      if (annotations === undefined) delete next.metadata.annotations;
    } else {
      next.status = current.status;
      next.metadata = { ...next.metadata, generation: nextGeneration(target.resource, next, current) };
    }
    return structuredClone(this.settle(target.resource, next)) as T;
  }

  /** Stores a changed object; one whose deletion was pending and finalizers are gone leaves. */
  private settle(resource: string, object: KubeObject): KubeObject {
    const metadata = object.metadata ?? {};
    if (metadata.deletionTimestamp && (metadata.finalizers ?? []).length === 0) {
      this.store(resource, object, 'MODIFIED');
      this.remove({ group: '', version: 'v1', resource }, metadata.namespace ?? '', metadata.name ?? '');
      return object;
    }
    return this.store(resource, object, 'MODIFIED');
  }

  private record(write: RecordedWrite): void {
    this.writes.push(write);
    const error = this.failWhen?.(write);
    if (error) throw error;
  }

  private complete<T extends KubeObject>(object: T): T {
    const metadata = { ...object.metadata };
    if (!metadata.name && metadata.generateName) {
      metadata.name = `${metadata.generateName}${(++uidCounter).toString(36).padStart(5, '0')}`;
    }
    metadata.uid ??= `uid-${++uidCounter}`;
    metadata.generation ??= 1;
    metadata.creationTimestamp ??= new Date().toISOString();
    return { ...object, metadata };
  }

  private bump<T extends KubeObject>(object: T): T {
    object.metadata = { ...object.metadata, resourceVersion: String(++this.revision) };
    return object;
  }

  private store<T extends KubeObject>(resource: string, object: T, type: 'ADDED' | 'MODIFIED'): T {
    const stored = this.bump(object);
    this.objects.set(storeKey(resource, stored.metadata?.namespace ?? '', stored.metadata?.name ?? ''), stored);
    this.emit(resource, { type, object: structuredClone(stored) });
    return stored;
  }

  /** Holds watch events back, as a cache that lags the apiserver. */
  holdEvents(): void {
    this.held ??= [];
  }

  /** Delivers the held events, in order, and lets events flow again. */
  releaseEvents(): void {
    const held = this.held ?? [];
    this.held = undefined;
    for (const { resource, event } of held) this.emit(resource, event);
  }

  private emit(resource: string, event: WatchEvent<KubeObject>): void {
    if (this.held) {
      this.held.push({ resource, event });
      return;
    }
    for (const watcher of this.watchers) {
      if (watcher.resource !== resource) continue;
      if (watcher.namespace && watcher.namespace !== event.object.metadata?.namespace) continue;
      watcher.push(structuredClone(event));
    }
  }
}

/** Resources whose status subresource writes annotations too (kube's apps status strategies). */
const ANNOTATED_STATUS = new Set(['deployments', 'replicasets']);

/** A main-resource write bumps generation on a spec change; a Deployment's on annotations too. */
function nextGeneration(resource: string, next: KubeObject, current: KubeObject): number {
  const generation = current.metadata?.generation ?? 1;
  const changed =
    JSON.stringify(next.spec) !== JSON.stringify(current.spec) ||
    (resource === 'deployments' &&
      JSON.stringify(next.metadata?.annotations ?? {}) !== JSON.stringify(current.metadata?.annotations ?? {}));
  return changed ? generation + 1 : generation;
}

function storeKey(resource: string, namespace: string, name: string): string {
  return namespace ? `${resource}/${namespace}/${name}` : `${resource}/${name}`;
}

/** RFC 7386 JSON merge patch. */
function mergePatch(target: unknown, patch: unknown): unknown {
  if (patch === null || typeof patch !== 'object' || Array.isArray(patch)) return patch;
  const result: Record<string, unknown> =
    target !== null && typeof target === 'object' && !Array.isArray(target)
      ? { ...(target as Record<string, unknown>) }
      : {};
  for (const [key, value] of Object.entries(patch as Record<string, unknown>)) {
    if (value === null) delete result[key];
    else result[key] = mergePatch(result[key], value);
  }
  return result;
}
