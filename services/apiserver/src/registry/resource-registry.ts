/**
 * The generic registry: Kubernetes' object semantics for one resource over the Storage
 * contract, in the mould of kube-apiserver's generic store (registry/generic/registry/
 * store.go with rest/create.go, update.go, delete.go). Kinds differ only through their
 * ResourceStrategy.
 *
 * Every write is a compare-and-set on the stored revision, so two racing writers never
 * lose an update: a writer that named a resourceVersion gets 409 Conflict, an unconditional
 * one (no resourceVersion, or a patch without one) is re-applied to the newer state.
 */
import { randomUUID } from 'node:crypto';
import {
  apiVersionOf,
  applyDefaults,
  type Binding,
  type DeleteOptions,
  fieldCause,
  findResource,
  type KubeList,
  type KubeObject,
  type ListMeta,
  type ResourceInfo,
  type Status,
  type StatusCause,
  StatusError,
  validateCreate,
  validateUpdate,
} from '@tkube/api';
import { applyJsonPatch, applyMergePatch, applyStrategicMergePatch } from '@tkube/api/schema';
import { storageKey, storagePrefix } from '../storage/keys.js';
import {
  RevisionCompactedError,
  RevisionMismatchError,
  type Storage,
  type StorageSnapshot,
  type StoredObject,
} from '../storage/types.js';
import { decodeContinue, encodeContinue } from './continue-token.js';
import { checkPreconditions, planDeletion, validateDeleteOptions } from './deletion.js';
import { type RandomIndex, generateName as randomName } from './generate-name.js';
import {
  copyObject,
  finalizersOf,
  isBeingDeleted,
  jsonEqual,
  metaOf,
  presentObject,
  rfc3339,
  storedForm,
} from './object-meta.js';
import {
  CONTINUE_EXPIRED_MESSAGE,
  conflict,
  forbidden,
  fromStorageError,
  parseResourceVersion,
  refOf,
} from './registry-errors.js';
import { scaleSubresource } from './scale.js';
import { parseSelection } from './selection.js';
import { strategyFor } from './strategies/index.js';
import { finalizeUpdate, isTerminating } from './strategies/namespaces.js';
import { bindPod, validateBinding } from './strategies/pod-binding.js';
import type { ResourceStrategy } from './strategy.js';
import type {
  ListOptions,
  PatchType,
  ResourceRegistry,
  ResourceWatch,
  ScaleSubresource,
  WatchOptions,
  WriteOptions,
  WriteResult,
} from './types.js';
import { resourceWatch } from './watch-stream.js';

/** kube's maxNameGenerationCreateAttempts. */
const GENERATE_NAME_ATTEMPTS = 8;
/** How often a write is re-applied after losing a compare-and-set race before giving up. */
const MAX_WRITE_ATTEMPTS = 16;

export type NamespaceState = 'missing' | 'active' | 'terminating';

export interface RegistryDependencies {
  storage: Storage;
  clock?: () => Date;
  strategy?: ResourceStrategy;
  /** Whether a namespace exists and takes new objects (NamespaceLifecycle admission). */
  namespaceState?: (namespace: string) => Promise<NamespaceState>;
  random?: RandomIndex;
  newUid?: () => string;
}

/** Builds the object an update writes from the stored one (a copy, resourceVersion set). */
type UpdateBuilder = (old: KubeObject) => KubeObject;

/**
 * Which write an update is: the main resource (may change the desired state, so
 * generation), a subresource (status, finalize, never generation) or a pod binding (a
 * server-side write of spec.nodeName that user-facing update validation would refuse).
 */
type UpdatePath = 'main' | 'subresource' | 'binding';

export class StoredResourceRegistry implements ResourceRegistry {
  readonly scale?: ScaleSubresource;
  readonly finalize?: (name: string, object: KubeObject, options: WriteOptions) => Promise<WriteResult>;
  readonly bind?: (namespace: string, name: string, binding: Binding, options: WriteOptions) => Promise<Status>;

  private readonly storage: Storage;
  private readonly strategy: ResourceStrategy;
  private readonly clock: () => Date;
  private readonly namespaceState: (namespace: string) => Promise<NamespaceState>;
  private readonly random: RandomIndex | undefined;
  private readonly newUid: () => string;
  /** The last write that allocates, which the next waits for (oneAllocationAtATime). */
  private allocating: Promise<unknown> = Promise.resolve();

  constructor(
    readonly info: ResourceInfo,
    deps: RegistryDependencies,
  ) {
    this.storage = deps.storage;
    this.strategy = deps.strategy ?? strategyFor(info);
    this.clock = deps.clock ?? (() => new Date());
    this.namespaceState = deps.namespaceState ?? ((namespace) => namespaceStateFromStorage(this.storage, namespace));
    this.random = deps.random;
    this.newUid = deps.newUid ?? randomUUID;
    if (info.subresources.includes('scale')) {
      this.scale = scaleSubresource({
        get: (namespace, name) => this.get(namespace, name),
        update: (namespace, name, build, options) => this.guaranteedUpdate(this.scope(namespace), name, build, options),
      });
    }
    if (info.kind === 'Namespace') {
      this.finalize = (name, object, options) => {
        this.checkBody(object, undefined, name);
        const build = (old: KubeObject): KubeObject => withResourceVersionOf(object, finalizeUpdate(object, old));
        return this.guaranteedUpdate(undefined, name, build, options, 'subresource');
      };
    }
    if (info.kind === 'Pod') {
      this.bind = async (namespace, name, binding, options) => {
        const scope = this.scope(namespace);
        if ((binding.metadata?.name ?? '') !== name) {
          throw StatusError.badRequest('name in URL does not match name in Binding object');
        }
        validateBinding(binding, name);
        await this.guaranteedUpdate(scope, name, (old) => bindPod(binding, old, this.clock()), options, 'binding');
        return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 };
      };
    }
  }

  async get(namespace: string | undefined, name: string): Promise<KubeObject> {
    const stored = await this.read(this.scope(namespace), name);
    return presentObject(this.info, stored.object, stored.revision);
  }

  async list(namespace: string | undefined, options: ListOptions): Promise<KubeList> {
    const selection = parseSelection(this.info, options.labelSelector, options.fieldSelector);
    const prefix = storagePrefix(this.info, this.listScope(namespace));
    const limit = options.limit !== undefined && options.limit > 0 ? Math.floor(options.limit) : undefined;

    let revision: number | undefined;
    let startKey: string | undefined;
    if (options.continue) {
      if (options.resourceVersion) {
        throw StatusError.badRequest('specifying resource version is not allowed when using continue');
      }
      const position = decodeContinue(options.continue);
      revision = position.revision;
      startKey = prefix + position.start;
    } else if (options.resourceVersion && options.resourceVersion !== '0') {
      // "Not older than" this version: the newest state always qualifies.
      parseResourceVersion(options.resourceVersion);
    }

    let snapshot: StorageSnapshot;
    try {
      snapshot = await this.storage.list(prefix, revision);
    } catch (err) {
      if (err instanceof RevisionCompactedError && revision !== undefined) {
        throw StatusError.expired(CONTINUE_EXPIRED_MESSAGE);
      }
      throw fromStorageError(err, this.info, '');
    }

    const ordered = sortByKey(snapshot.items).filter((item) => startKey === undefined || item.key >= startKey);
    const items: KubeObject[] = [];
    // Built as the wire form: @tkube/api's ListMeta (from client-node) spells `continue` as `_continue`.
    const meta: { resourceVersion: string; continue?: string; remainingItemCount?: number } = {
      resourceVersion: String(snapshot.revision),
    };
    for (let i = 0; i < ordered.length; i++) {
      const item = ordered[i];
      if (!selection.matches(item.object)) continue;
      if (limit !== undefined && items.length === limit) {
        // A further match exists: the next page starts at it, in the same snapshot.
        meta.continue = encodeContinue({
          revision: snapshot.revision,
          start: `${ordered[i - 1].key.slice(prefix.length)}\u0000`,
        });
        if (selection.everything) meta.remainingItemCount = ordered.length - i;
        break;
      }
      items.push(presentObject(this.info, item.object, item.revision));
    }
    return { apiVersion: apiVersionOf(this.info), kind: `${this.info.kind}List`, metadata: meta as ListMeta, items };
  }

  async watch(namespace: string | undefined, options: WatchOptions): Promise<ResourceWatch> {
    const selection = parseSelection(this.info, options.labelSelector, options.fieldSelector);
    const prefix = storagePrefix(this.info, this.listScope(namespace));
    const version = options.resourceVersion;
    try {
      if (!version || version === '0') {
        // Get state and start at it: ADDED for what exists, then every change after.
        const snapshot = await this.storage.list(prefix);
        const storageWatch = await this.storage.watch(prefix, snapshot.revision);
        return resourceWatch(this.info, selection, sortByKey(snapshot.items), storageWatch);
      }
      const from = parseResourceVersion(version);
      const storageWatch = await this.storage.watch(prefix, from);
      return resourceWatch(this.info, selection, [], storageWatch);
    } catch (err) {
      throw fromStorageError(err, this.info, '');
    }
  }

  async create(namespace: string | undefined, body: KubeObject, options: WriteOptions): Promise<WriteResult> {
    const scope = this.scope(namespace);
    this.checkBody(body, scope, undefined);
    const object = copyObject(body);
    const meta = metaOf(object);
    if (scope === undefined) delete meta.namespace;
    else meta.namespace = scope;
    if (scope !== undefined) await this.admitNamespace(scope, meta.name ?? '');

    applyDefaults(this.info, object);
    this.strategy.prepareForCreate(object);
    const now = rfc3339(this.clock());
    // Server-owned metadata: whatever the client sent is replaced.
    delete meta.resourceVersion;
    delete meta.deletionTimestamp;
    delete meta.deletionGracePeriodSeconds;
    delete meta.selfLink;
    meta.uid = this.newUid();
    meta.creationTimestamp = now;
    if (this.strategy.tracksGeneration) meta.generation = 1;
    else delete meta.generation;

    const generated = !meta.name && Boolean(meta.generateName);
    const write = async (): Promise<WriteResult> => {
      for (let attempt = 1; ; attempt++) {
        if (generated) meta.name = randomName(meta.generateName ?? '', this.random);
        this.validateNew(object);
        if (this.strategy.allocate) {
          const causes = await this.strategy.allocate(object, () => this.allStored());
          if (causes.length > 0) throw this.invalid(meta.name ?? '', causes);
        }
        const name = meta.name ?? '';
        const key = this.key(scope, name);
        try {
          if (options.dryRun) {
            if (await this.storage.get(key)) throw StatusError.alreadyExists(refOf(this.info, name));
            return { object: presentObject(this.info, object, undefined), warnings: [] };
          }
          const revision = await this.storage.create(key, storedForm(this.info, object));
          return { object: presentObject(this.info, object, revision), warnings: [] };
        } catch (err) {
          const mapped = fromStorageError(err, this.info, name);
          if (mapped.reason !== 'AlreadyExists') throw mapped;
          if (generated && attempt < GENERATE_NAME_ATTEMPTS) continue;
          throw await this.explainAlreadyExists(mapped, key);
        }
      }
    };
    return this.strategy.allocate ? this.oneAllocationAtATime(write) : write();
  }

  /**
   * Writes that draw from a shared pool (a Service's cluster IP and node ports) run one at
   * a time in this apiserver: between reading what is taken and writing the object,
   * another write must not pick the same address. (Two apiservers can still race; kube
   * keeps its allocations in storage for that.)
   */
  private oneAllocationAtATime<T>(work: () => Promise<T>): Promise<T> {
    const run = this.allocating.then(work, work);
    this.allocating = run.catch(() => undefined);
    return run;
  }

  async update(
    namespace: string | undefined,
    name: string,
    body: KubeObject,
    options: WriteOptions,
  ): Promise<WriteResult> {
    const scope = this.scope(namespace);
    this.checkBody(body, scope, name);
    const wanted = copyObject(body);
    applyDefaults(this.info, wanted);
    return this.guaranteedUpdate(
      scope,
      name,
      (old) => {
        const next = copyObject(wanted);
        this.strategy.prepareForUpdate(next, old);
        return next;
      },
      options,
    );
  }

  async updateStatus(
    namespace: string | undefined,
    name: string,
    body: KubeObject,
    options: WriteOptions,
  ): Promise<WriteResult> {
    this.requireStatus();
    const scope = this.scope(namespace);
    this.checkBody(body, scope, name);
    const wanted = copyObject(body);
    applyDefaults(this.info, wanted);
    const build = (old: KubeObject): KubeObject =>
      withResourceVersionOf(wanted, this.strategy.statusUpdate(wanted, old));
    return this.guaranteedUpdate(scope, name, build, options, 'subresource');
  }

  async patch(
    namespace: string | undefined,
    name: string,
    type: PatchType,
    patch: Buffer,
    options: WriteOptions & { subresource?: 'status' },
  ): Promise<WriteResult> {
    if (type === 'apply') {
      // Server-side apply needs managed fields; until then clients fall back to client-side apply.
      throw StatusError.unsupportedMediaType('application/apply-patch+yaml');
    }
    if (options.subresource === 'status') this.requireStatus();
    const scope = this.scope(namespace);
    const document = parsePatch(patch);
    return this.guaranteedUpdate(
      scope,
      name,
      (old) => {
        const patched = this.applyPatch(type, old, document);
        this.checkBody(patched, scope, name);
        applyDefaults(this.info, patched);
        if (options.subresource === 'status') {
          return withResourceVersionOf(patched, this.strategy.statusUpdate(patched, old));
        }
        this.strategy.prepareForUpdate(patched, old);
        return patched;
      },
      options,
      options.subresource === 'status' ? 'subresource' : 'main',
    );
  }

  async delete(namespace: string | undefined, name: string, options: DeleteOptions): Promise<KubeObject | Status> {
    validateDeleteOptions(options);
    const scope = this.scope(namespace);
    const key = this.key(scope, name);
    const dryRun = options.dryRun?.includes('All') ?? false;
    for (let attempt = 0; attempt < MAX_WRITE_ATTEMPTS; attempt++) {
      const current = await this.read(scope, name);
      const existing = presentObject(this.info, current.object, current.revision);
      checkPreconditions(this.info, existing, options);
      try {
        const marked = this.strategy.beforeDelete?.(copyObject(existing), this.clock());
        if (marked) return await this.write(key, current, marked, dryRun);
        const plan = planDeletion(this.strategy, copyObject(existing), options, this.clock());
        if (plan.action === 'pending') return this.deletedResult(existing);
        if (plan.action === 'mark') return await this.write(key, current, plan.object, dryRun);
        if (!dryRun) await this.storage.delete(key, current.revision);
        return this.deletedResult(presentObject(this.info, plan.object, current.revision));
      } catch (err) {
        if (err instanceof RevisionMismatchError) continue;
        throw fromStorageError(err, this.info, name);
      }
    }
    throw conflict(this.info, name);
  }

  async deleteCollection(namespace: string | undefined, list: ListOptions, options: DeleteOptions): Promise<KubeList> {
    validateDeleteOptions(options);
    const selected = await this.list(namespace, list);
    const deleted: KubeObject[] = [];
    for (const item of selected.items) {
      try {
        await this.delete(item.metadata?.namespace, item.metadata?.name ?? '', copyObject(options));
        deleted.push(item);
      } catch (err) {
        // Gone meanwhile: someone else deleted it, which is what was asked.
        if (err instanceof StatusError && err.reason === 'NotFound') continue;
        throw err;
      }
    }
    return { ...selected, items: deleted };
  }

  /**
   * kube's GuaranteedUpdate: read, build the new object, check it, compare-and-set on the
   * revision read; when another writer got in between, build again from the newer state.
   * A resourceVersion in the built object is the client's precondition.
   */
  private async guaranteedUpdate(
    scope: string | undefined,
    name: string,
    build: UpdateBuilder,
    options: WriteOptions,
    path: UpdatePath = 'main',
  ): Promise<WriteResult> {
    if (path === 'main' && this.strategy.allocate) {
      return this.oneAllocationAtATime(() => this.writeUpdate(scope, name, build, options, path));
    }
    return this.writeUpdate(scope, name, build, options, path);
  }

  private async writeUpdate(
    scope: string | undefined,
    name: string,
    build: UpdateBuilder,
    options: WriteOptions,
    path: UpdatePath,
  ): Promise<WriteResult> {
    const key = this.key(scope, name);
    for (let attempt = 0; attempt < MAX_WRITE_ATTEMPTS; attempt++) {
      const current = await this.read(scope, name);
      const old = presentObject(this.info, current.object, current.revision);
      const next = build(copyObject(old));
      const precondition = next.metadata?.resourceVersion;
      if (
        precondition !== undefined &&
        precondition !== '' &&
        parseResourceVersion(precondition) !== current.revision
      ) {
        throw conflict(this.info, name);
      }
      this.keepServerMetadata(next, old, scope, name, path);
      this.validateChange(next, old, path);
      if (path === 'main' && this.strategy.allocate) {
        const causes = await this.strategy.allocate(next, () => this.allStored(), old);
        if (causes.length > 0) throw this.invalid(name, causes);
      }
      try {
        if (this.emptiedFinalizers(next, old)) {
          const revision = options.dryRun ? current.revision : await this.storage.delete(key, current.revision);
          return { object: presentObject(this.info, next, revision), warnings: [] };
        }
        if (jsonEqual(storedForm(this.info, next), storedForm(this.info, old))) {
          return { object: old, warnings: [] };
        }
        if (options.dryRun) return { object: presentObject(this.info, next, current.revision), warnings: [] };
        const revision = await this.storage.update(key, storedForm(this.info, next), current.revision);
        return { object: presentObject(this.info, next, revision), warnings: [] };
      } catch (err) {
        if (err instanceof RevisionMismatchError) continue;
        throw fromStorageError(err, this.info, name);
      }
    }
    throw conflict(this.info, name);
  }

  /** rest.BeforeUpdate: identity, timestamps and generation are the server's, not the body's. */
  private keepServerMetadata(
    next: KubeObject,
    old: KubeObject,
    scope: string | undefined,
    name: string,
    path: UpdatePath,
  ): void {
    const meta = metaOf(next);
    const oldMeta = metaOf(old);
    meta.name = name;
    if (scope === undefined) delete meta.namespace;
    else meta.namespace = scope;
    if (!meta.uid) meta.uid = oldMeta.uid;
    meta.creationTimestamp = oldMeta.creationTimestamp;
    delete meta.selfLink;
    // Deletion marks are set by delete only; an update can neither add nor clear them.
    if (oldMeta.deletionTimestamp) meta.deletionTimestamp = oldMeta.deletionTimestamp;
    else delete meta.deletionTimestamp;
    if (oldMeta.deletionGracePeriodSeconds !== undefined)
      meta.deletionGracePeriodSeconds = oldMeta.deletionGracePeriodSeconds;
    else delete meta.deletionGracePeriodSeconds;
    if (this.strategy.tracksGeneration) {
      const generation = oldMeta.generation ?? 1;
      // Subresources (status, binding, finalize) are not changes of the desired state.
      const changed = path === 'main' && this.strategy.desiredStateChanged(next, old);
      meta.generation = changed ? generation + 1 : generation;
    } else if (oldMeta.generation !== undefined) {
      meta.generation = oldMeta.generation;
    } else {
      delete meta.generation;
    }
  }

  /** ShouldDeleteDuringUpdate: the last finalizer of an object being deleted went. */
  private emptiedFinalizers(next: KubeObject, old: KubeObject): boolean {
    if (!isBeingDeleted(old) || finalizersOf(next).length > 0) return false;
    const grace = old.metadata?.deletionGracePeriodSeconds;
    if (grace !== undefined && grace !== null && grace > 0) return false;
    return this.strategy.canDeleteDuringUpdate?.(next) ?? true;
  }

  private validateNew(object: KubeObject): void {
    const meta = metaOf(object);
    const causes = [...validateCreate(this.info, object)];
    if (!meta.name && !meta.generateName && !causes.some((c) => c.field === 'metadata.name')) {
      causes.push(
        fieldCause('FieldValueRequired', 'metadata.name', 'Required value: name or generateName is required'),
      );
    }
    if (causes.length > 0) throw this.invalid(meta.name ?? '', causes);
  }

  private validateChange(next: KubeObject, old: KubeObject, path: UpdatePath): void {
    const meta = metaOf(next);
    const oldMeta = metaOf(old);
    // A binding sets spec.nodeName, which pod update validation rightly forbids users to change.
    const causes = path === 'binding' ? [] : [...validateUpdate(this.info, next, old)];
    const add = (cause: StatusCause): void => {
      if (!causes.some((c) => c.field === cause.field && c.reason === cause.reason)) causes.push(cause);
    };
    if (meta.uid !== oldMeta.uid) {
      add(
        fieldCause(
          'FieldValueInvalid',
          'metadata.uid',
          `Invalid value: ${JSON.stringify(meta.uid)}: field is immutable`,
        ),
      );
    }
    if (isBeingDeleted(old)) {
      const added = finalizersOf(next).filter((f) => !finalizersOf(old).includes(f));
      if (added.length > 0) {
        add(
          fieldCause(
            'FieldValueForbidden',
            'metadata.finalizers',
            `Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers ${JSON.stringify(added)}`,
          ),
        );
      }
    }
    if (causes.length > 0) throw this.invalid(meta.name ?? '', causes);
  }

  private invalid(name: string, causes: StatusCause[]): StatusError {
    return StatusError.invalid(this.info.kind, name, causes, this.info.group);
  }

  /** Writes a kept object (deletion marks, terminating namespace) and answers with it. */
  private async write(key: string, current: StoredObject, object: KubeObject, dryRun: boolean): Promise<KubeObject> {
    const old = presentObject(this.info, current.object, current.revision);
    if (dryRun || jsonEqual(storedForm(this.info, object), storedForm(this.info, old))) {
      return presentObject(this.info, object, current.revision);
    }
    const revision = await this.storage.update(key, storedForm(this.info, object), current.revision);
    return presentObject(this.info, object, revision);
  }

  /** finalizeDelete: the object itself for some kinds, a Success Status for the rest. */
  private deletedResult(object: KubeObject): KubeObject | Status {
    if (this.strategy.returnsDeletedObject) return object;
    const details: NonNullable<Status['details']> = { name: object.metadata?.name ?? '', kind: this.info.resource };
    if (this.info.group) details.group = this.info.group;
    if (object.metadata?.uid) details.uid = object.metadata.uid;
    return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', details };
  }

  private applyPatch(type: Exclude<PatchType, 'apply'>, current: KubeObject, document: unknown): KubeObject {
    const patched =
      type === 'json'
        ? applyJsonPatch(current, document)
        : type === 'merge'
          ? applyMergePatch(current, document)
          : applyStrategicMergePatch(current, document, this.info);
    if (patched === null || typeof patched !== 'object' || Array.isArray(patched)) {
      throw StatusError.badRequest('the patch did not produce an object');
    }
    return patched as KubeObject;
  }

  private async read(scope: string | undefined, name: string): Promise<StoredObject> {
    let stored: StoredObject | undefined;
    try {
      stored = await this.storage.get(this.key(scope, name));
    } catch (err) {
      throw fromStorageError(err, this.info, name);
    }
    if (!stored) throw StatusError.notFound(refOf(this.info, name));
    return stored;
  }

  /** Every object of this resource, in every namespace, as stored now. */
  private async allStored(): Promise<KubeObject[]> {
    try {
      return (await this.storage.list(storagePrefix(this.info))).items.map((item) => item.object);
    } catch (err) {
      throw fromStorageError(err, this.info, '');
    }
  }

  /** The storage key of one object; an empty name names nothing (404). */
  private key(scope: string | undefined, name: string): string {
    if (!name) throw StatusError.notFound(refOf(this.info, name));
    return storageKey(this.info, scope, name);
  }

  /** NamespaceLifecycle: new objects need a namespace that exists and is not terminating. */
  private async admitNamespace(namespace: string, name: string): Promise<void> {
    const state = await this.namespaceState(namespace);
    if (state === 'missing') throw StatusError.notFound({ group: '', resource: 'namespaces', name: namespace });
    if (state === 'terminating') {
      throw forbidden(
        this.info,
        name,
        `unable to create new content in namespace ${namespace} because it is being terminated`,
        [
          {
            reason: 'NamespaceTerminating',
            message: `namespace ${namespace} is being terminated`,
            field: 'metadata.namespace',
          },
        ],
      );
    }
  }

  /** AlreadyExists for an object that is on its way out says so, as kube does. */
  private async explainAlreadyExists(err: StatusError, key: string): Promise<StatusError> {
    const existing = await this.storage.get(key).catch(() => undefined);
    if (!existing || !isBeingDeleted(existing.object)) return err;
    return new StatusError(err.code, err.reason, `object is being deleted: ${err.message}`, err.details);
  }

  /** The namespace a request on one object works in: required for namespaced kinds. */
  private scope(namespace: string | undefined): string | undefined {
    if (!this.info.namespaced) return undefined;
    if (!namespace) throw StatusError.badRequest('a namespace is required for namespaced resources');
    return namespace;
  }

  /** Lists and watches of a namespaced kind may span every namespace. */
  private listScope(namespace: string | undefined): string | undefined {
    return this.info.namespaced && namespace ? namespace : undefined;
  }

  private requireStatus(): void {
    if (!this.info.subresources.includes('status')) throw StatusError.pathNotFound();
  }

  /** What the body must agree with before anything else happens (400 otherwise). */
  private checkBody(body: KubeObject, scope: string | undefined, name: string | undefined): void {
    if (body === null || typeof body !== 'object' || Array.isArray(body)) {
      throw StatusError.badRequest('the body of the request must be an object');
    }
    const expected = apiVersionOf(this.info);
    if (body.apiVersion !== undefined && body.apiVersion !== '' && body.apiVersion !== expected) {
      throw StatusError.badRequest(
        `the API version in the data (${String(body.apiVersion)}) does not match the expected API version (${expected})`,
      );
    }
    if (body.kind !== undefined && body.kind !== '' && body.kind !== this.info.kind) {
      throw StatusError.badRequest(
        `the kind in the data (${String(body.kind)}) does not match the expected kind (${this.info.kind})`,
      );
    }
    const meta = body.metadata;
    if (scope !== undefined && meta?.namespace && meta.namespace !== scope) {
      throw StatusError.badRequest(
        'the namespace of the provided object does not match the namespace sent on the request',
      );
    }
    if (name !== undefined && (meta?.name ?? '') !== name) {
      throw StatusError.badRequest(
        `the name of the object (${meta?.name ?? ''}) does not match the name on the URL (${name})`,
      );
    }
  }
}

/** The client's resourceVersion (the precondition) on an object built from the stored one. */
function withResourceVersionOf(body: KubeObject, next: KubeObject): KubeObject {
  const version = body.metadata?.resourceVersion;
  const meta = metaOf(next);
  if (version) meta.resourceVersion = version;
  else delete meta.resourceVersion;
  return next;
}

/** Decoded once, before the first read: a body that is not JSON fails without touching storage. */
function parsePatch(patch: Buffer): unknown {
  try {
    return JSON.parse(patch.toString('utf8')) as unknown;
  } catch (err) {
    throw StatusError.badRequest(`error decoding patch: ${err instanceof Error ? err.message : String(err)}`);
  }
}

function sortByKey(items: StoredObject[]): StoredObject[] {
  return [...items].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

const NAMESPACES = findResource('', 'v1', 'namespaces');

export async function namespaceStateFromStorage(storage: Storage, namespace: string): Promise<NamespaceState> {
  if (!NAMESPACES) return 'active';
  const key = storageKey(NAMESPACES, undefined, namespace);
  // The cache answers almost always, as kube's NamespaceLifecycle admission reads its lister;
  // only a namespace it does not hold (perhaps created a moment ago) costs a read of the store.
  let stored: StoredObject | undefined = storage.peek(key);
  if (!stored) {
    try {
      stored = await storage.get(key);
    } catch (err) {
      throw fromStorageError(err, NAMESPACES, namespace);
    }
  }
  if (!stored) return 'missing';
  return isTerminating(stored.object) ? 'terminating' : 'active';
}
