import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Binding, DeleteOptions, KubeList, KubeObject, ResourceInfo, Status, WatchEvent } from '@tkube/api';
import { fieldCause, findResource, isStatusError, StatusError } from '@tkube/api';
import { ApiClient } from '@tkube/client';
import { afterEach, describe, expect, it } from 'vitest';
import type {
  ListOptions,
  PatchType,
  ResourceRegistry,
  ResourceWatch,
  ScaleSubresource,
  WatchOptions,
  WriteOptions,
  WriteResult,
} from '../registry/types.js';
import type { RunningGrpcServer } from './grpc-server.js';
import { startGrpcServer } from './grpc-server.js';
import type { RegistryLookup } from './types.js';

function catalogEntry(group: string, version: string, resource: string): ResourceInfo {
  const info = findResource(group, version, resource);
  if (!info) throw new Error(`${resource} is not in the resource catalog`);
  return info;
}

const PODS = catalogEntry('', 'v1', 'pods');

/** Events pushed by the test, consumed by one watch; ends when closed. */
class EventChannel implements AsyncIterable<WatchEvent> {
  private readonly buffered: WatchEvent[] = [];
  private wake: (() => void) | undefined;
  private closed = false;

  push(event: WatchEvent): void {
    this.buffered.push(event);
    this.wake?.();
  }

  close(): void {
    this.closed = true;
    this.wake?.();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<WatchEvent> {
    for (;;) {
      const next = this.buffered.shift();
      if (next) {
        yield next;
        continue;
      }
      if (this.closed) return;
      await new Promise<void>((resolve) => {
        this.wake = resolve;
      });
      this.wake = undefined;
    }
  }
}

/** A registry over a Map: enough Kubernetes behaviour to see the adapter translate. */
class FakePodRegistry implements ResourceRegistry {
  readonly info = PODS;
  readonly objects = new Map<string, KubeObject>();
  readonly watches = new Set<EventChannel>();
  /** Set to make the next watch call fail. */
  failWatch: StatusError | undefined;
  lastPatch: { type: PatchType; patch: string; subresource?: string } | undefined;
  lastDeleteOptions: DeleteOptions | undefined;
  lastWriteOptions: WriteOptions | undefined;
  private revision = 0;

  async get(namespace: string | undefined, name: string): Promise<KubeObject> {
    const object = this.objects.get(`${namespace}/${name}`);
    if (!object) throw StatusError.notFound({ group: '', resource: 'pods', name });
    return object;
  }

  async list(namespace: string | undefined, options: ListOptions): Promise<KubeList> {
    const items = [...this.objects.values()].filter((o) => !namespace || o.metadata?.namespace === namespace);
    const limited = options.limit ? items.slice(0, options.limit) : items;
    return { apiVersion: 'v1', kind: 'PodList', metadata: { resourceVersion: String(this.revision) }, items: limited };
  }

  async watch(_namespace: string | undefined, _options: WatchOptions): Promise<ResourceWatch> {
    if (this.failWatch) throw this.failWatch;
    const channel = new EventChannel();
    this.watches.add(channel);
    return {
      events: channel,
      stop: () => {
        this.watches.delete(channel);
        channel.close();
      },
    };
  }

  async create(namespace: string | undefined, object: KubeObject, options: WriteOptions): Promise<WriteResult> {
    this.lastWriteOptions = options;
    const name = object.metadata?.name ?? '';
    if (!name) {
      throw StatusError.invalid('Pod', '', [
        fieldCause('FieldValueRequired', 'metadata.name', 'name or generateName is required'),
      ]);
    }
    const key = `${namespace}/${name}`;
    if (this.objects.has(key)) throw StatusError.alreadyExists({ group: '', resource: 'pods', name });
    const stored = { ...object, metadata: { ...object.metadata, namespace, resourceVersion: String(++this.revision) } };
    this.objects.set(key, stored);
    return { object: stored, warnings: ['unknown field "spec.bogus"'] };
  }

  async update(namespace: string | undefined, name: string, object: KubeObject): Promise<WriteResult> {
    const current = await this.get(namespace, name);
    if (object.metadata?.resourceVersion !== current.metadata?.resourceVersion) {
      throw StatusError.conflict(
        { group: '', resource: 'pods', name },
        'the object has been modified; please apply your changes to the latest version and try again',
      );
    }
    const stored = { ...object, metadata: { ...object.metadata, resourceVersion: String(++this.revision) } };
    this.objects.set(`${namespace}/${name}`, stored);
    return { object: stored, warnings: [] };
  }

  async updateStatus(namespace: string | undefined, name: string, object: KubeObject): Promise<WriteResult> {
    const current = await this.get(namespace, name);
    const stored = {
      ...current,
      status: object.status,
      metadata: { ...current.metadata, resourceVersion: String(++this.revision) },
    };
    this.objects.set(`${namespace}/${name}`, stored);
    return { object: stored, warnings: [] };
  }

  async patch(
    namespace: string | undefined,
    name: string,
    type: PatchType,
    patch: Buffer,
    options: WriteOptions & { subresource?: 'status' },
  ): Promise<WriteResult> {
    this.lastPatch = {
      type,
      patch: patch.toString(),
      ...(options.subresource ? { subresource: options.subresource } : {}),
    };
    const current = await this.get(namespace, name);
    const labels = (JSON.parse(patch.toString()) as { metadata?: { labels?: Record<string, string> } }).metadata
      ?.labels;
    const stored = {
      ...current,
      metadata: { ...current.metadata, labels: { ...current.metadata?.labels, ...labels } },
    };
    this.objects.set(`${namespace}/${name}`, stored);
    return { object: stored, warnings: [] };
  }

  async delete(namespace: string | undefined, name: string, options: DeleteOptions): Promise<KubeObject | Status> {
    this.lastDeleteOptions = options;
    const current = await this.get(namespace, name);
    this.objects.delete(`${namespace}/${name}`);
    return current;
  }

  async deleteCollection(namespace: string | undefined, list: ListOptions): Promise<KubeList> {
    const deleted = await this.list(namespace, list);
    for (const item of deleted.items) this.objects.delete(`${item.metadata?.namespace}/${item.metadata?.name}`);
    return deleted;
  }
}

class BindingPodRegistry extends FakePodRegistry {
  async bind(namespace: string, name: string, binding: Binding): Promise<Status> {
    const pod = await this.get(namespace, name);
    const spec = (pod.spec ?? {}) as { nodeName?: string };
    if (spec.nodeName) {
      throw StatusError.conflict(
        { group: '', resource: 'pods', name },
        `pod ${name} is already assigned to node "${spec.nodeName}"`,
      );
    }
    this.objects.set(`${namespace}/${name}`, { ...pod, spec: { ...spec, nodeName: binding.target.name } });
    return { apiVersion: 'v1', kind: 'Status', metadata: {}, status: 'Success', code: 201 };
  }
}

/** Pods with a scale subresource (pods have none in Kubernetes; enough to see the call go through). */
class ScaledPodRegistry extends FakePodRegistry {
  readonly scale: ScaleSubresource = {
    get: async (namespace, name) => {
      await this.get(namespace, name);
      return { apiVersion: 'autoscaling/v1', kind: 'Scale', metadata: { name, namespace }, spec: { replicas: 1 } };
    },
    update: async (namespace, name, scale) => {
      await this.get(namespace, name);
      return { object: { ...scale, status: { replicas: scale.spec?.replicas ?? 0 } }, warnings: [] };
    },
  };
}

function lookup(pods: FakePodRegistry): RegistryLookup {
  return {
    get: (group, version, resource) => (group === '' && version === 'v1' && resource === 'pods' ? pods : undefined),
  };
}

const pod = (name: string): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name },
  spec: { containers: [] },
});
const inDefault = { ...PODS, namespace: 'default' };

async function caught(promise: Promise<unknown>): Promise<StatusError> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof StatusError) return err;
    throw new Error(`expected a StatusError, got ${String(err)}`);
  }
  throw new Error('expected the call to fail');
}

async function nextEvent(iterator: AsyncIterator<WatchEvent>): Promise<WatchEvent> {
  const result = await iterator.next();
  if (result.done) throw new Error('the watch ended');
  return result.value;
}

describe('gRPC server over a registry', () => {
  const cleanups: Array<() => Promise<void> | void> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function serve(
    pods: FakePodRegistry,
    token?: string,
    shutdownGraceMs = 1000,
  ): Promise<{ server: RunningGrpcServer; client: ApiClient }> {
    const server = await startGrpcServer({
      registries: lookup(pods),
      address: '127.0.0.1:0',
      ...(token ? { token } : {}),
      shutdownGraceMs,
    });
    cleanups.push(() => server.stop());
    const client = ApiClient.connect({ address: server.address, ...(token ? { token } : {}) });
    cleanups.push(() => client.close());
    return { server, client };
  }

  it('serves create, get, list, update, status, patch and delete', async () => {
    const pods = new FakePodRegistry();
    const { server, client } = await serve(pods);
    expect(server.port).toBeGreaterThan(0);

    const created = await client.create(inDefault, pod('web'), { dryRun: true, fieldManager: 'test' });
    expect(created.metadata).toMatchObject({ name: 'web', namespace: 'default', resourceVersion: '1' });
    expect(pods.lastWriteOptions).toEqual({ dryRun: true, fieldManager: 'test' });

    expect(await client.get(inDefault, 'web')).toEqual(created);
    const list = await client.list(PODS, { limit: 10 });
    expect(list.kind).toBe('PodList');
    expect(list.items.map((p) => p.metadata?.name)).toEqual(['web']);

    const updated = await client.update(inDefault, { ...created, spec: { containers: [], hostname: 'h' } });
    expect(updated.metadata?.resourceVersion).toBe('2');
    const withStatus = await client.updateStatus(inDefault, { ...updated, status: { phase: 'Running' } });
    expect(withStatus.status).toEqual({ phase: 'Running' });

    const patched = await client.patch(
      inDefault,
      'web',
      'merge',
      { metadata: { labels: { app: 'web' } } },
      { subresource: 'status' },
    );
    expect(patched.metadata?.labels).toEqual({ app: 'web' });
    expect(pods.lastPatch).toEqual({
      type: 'merge',
      patch: '{"metadata":{"labels":{"app":"web"}}}',
      subresource: 'status',
    });

    const deleted = await client.delete(inDefault, 'web', { gracePeriodSeconds: 0, propagationPolicy: 'Foreground' });
    expect((deleted as KubeObject).metadata?.name).toBe('web');
    expect(pods.lastDeleteOptions).toEqual({ gracePeriodSeconds: 0, propagationPolicy: 'Foreground' });
    expect(pods.objects.size).toBe(0);
  });

  it('delivers errors as the same StatusError the registry threw', async () => {
    const { client } = await serve(new FakePodRegistry());

    const notFound = await caught(client.get(inDefault, 'nope'));
    expect(notFound).toMatchObject({ code: 404, reason: 'NotFound', message: 'pods "nope" not found' });
    expect(notFound.details).toEqual({ kind: 'pods', name: 'nope' });

    const created = await client.create(inDefault, pod('web'));
    expect(await caught(client.create(inDefault, pod('web')))).toMatchObject({ code: 409, reason: 'AlreadyExists' });

    const conflict = await caught(
      client.update(inDefault, { ...created, metadata: { ...created.metadata, resourceVersion: '99' } }),
    );
    expect(conflict.reason).toBe('Conflict');
    expect(conflict.message).toBe(
      'Operation cannot be fulfilled on pods "web": the object has been modified; please apply your changes to the latest version and try again',
    );

    const invalid = await caught(client.create(inDefault, pod('')));
    expect(invalid).toMatchObject({ code: 422, reason: 'Invalid' });
    expect(invalid.details?.causes).toEqual([
      { reason: 'FieldValueRequired', field: 'metadata.name', message: 'name or generateName is required' },
    ]);

    const unknown = await caught(client.get({ group: 'example.com', version: 'v1', resource: 'widgets' }, 'w'));
    expect(unknown).toMatchObject({ code: 404, reason: 'NotFound' });
  });

  it('answers InternalError for a registry bug, and tells the server log', async () => {
    const pods = new FakePodRegistry();
    pods.list = async () => {
      throw new Error('disk on fire');
    };
    const logged: string[] = [];
    const server = await startGrpcServer({
      registries: lookup(pods),
      address: '127.0.0.1:0',
      onServerError: (method, error) => logged.push(`${method}: ${error.message}`),
    });
    cleanups.push(() => server.stop());
    const client = ApiClient.connect({ address: server.address });
    cleanups.push(() => client.close());
    expect(await caught(client.list(PODS))).toMatchObject({
      code: 500,
      reason: 'InternalError',
      message: 'Internal error occurred: disk on fire',
    });
    await caught(client.get(inDefault, 'missing'));
    expect(logged).toEqual(['list: Internal error occurred: disk on fire']);
  });

  it('refuses calls without the configured bearer token', async () => {
    const pods = new FakePodRegistry();
    const { server, client } = await serve(pods, 's3cret');
    await client.create(inDefault, pod('web'));

    const anonymous = ApiClient.connect({ address: server.address });
    const wrong = ApiClient.connect({ address: server.address, token: 'guess' });
    cleanups.push(
      () => anonymous.close(),
      () => wrong.close(),
    );
    expect(await caught(anonymous.get(inDefault, 'web'))).toMatchObject({ code: 401, reason: 'Unauthorized' });
    expect(await caught(wrong.list(PODS))).toMatchObject({ code: 401, reason: 'Unauthorized' });

    const events = anonymous.watch(PODS)[Symbol.asyncIterator]();
    expect(await caught(events.next())).toMatchObject({ code: 401 });
    expect(pods.watches.size).toBe(0);
  });

  it('streams watch events and stops the registry watch when the client stops', async () => {
    const pods = new FakePodRegistry();
    const { client } = await serve(pods);
    const watch = client.watch(PODS, { resourceVersion: '5' });
    const events = watch[Symbol.asyncIterator]();
    const first = events.next();
    await until(() => pods.watches.size === 1);
    const [channel] = [...pods.watches];
    channel?.push({ type: 'ADDED', object: pod('a') });
    channel?.push({ type: 'DELETED', object: pod('a') });
    expect(await first).toEqual({ done: false, value: { type: 'ADDED', object: pod('a') } });
    expect(await nextEvent(events)).toEqual({ type: 'DELETED', object: pod('a') });

    const pending = events.next();
    watch.stop();
    expect(await pending).toEqual({ done: true, value: undefined });
    await until(() => pods.watches.size === 0);
  });

  it('ends a watch with 410 Expired when the registry cannot resume, and turns ERROR events into errors', async () => {
    const pods = new FakePodRegistry();
    const { client } = await serve(pods);

    pods.failWatch = StatusError.expired('too old resource version: 5 (20)');
    const expired = await caught(client.watch(PODS, { resourceVersion: '5' })[Symbol.asyncIterator]().next());
    expect(expired).toMatchObject({ code: 410, reason: 'Expired', message: 'too old resource version: 5 (20)' });

    pods.failWatch = undefined;
    const events = client.watch(PODS)[Symbol.asyncIterator]();
    const next = events.next();
    await until(() => pods.watches.size === 1);
    [...pods.watches][0]?.push({
      type: 'ERROR',
      object: StatusError.gone('the watch is gone').toStatus() as KubeObject,
    });
    expect(await caught(next)).toMatchObject({ code: 410, reason: 'Gone' });
  });

  it('ends open watches cleanly when the server stops', async () => {
    const pods = new FakePodRegistry();
    // A grace far longer than the bound below: a watch left to the grace would blow it.
    const { server, client } = await serve(pods, undefined, 30_000);
    const events = client.watch(PODS)[Symbol.asyncIterator]();
    const next = events.next();
    await until(() => pods.watches.size === 1);

    const started = Date.now();
    await server.stop();
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(await next).toEqual({ done: true, value: undefined });
    expect(pods.watches.size).toBe(0);
  });

  it('binds pods through a registry that serves pods/binding, and says so when none does', async () => {
    const binding: Binding = { metadata: { name: 'web' }, target: { kind: 'Node', name: 'node-1' } };

    const plain = await serve(new FakePodRegistry());
    await plain.client.create(inDefault, pod('web'));
    expect(await caught(plain.client.bind('default', binding))).toMatchObject({
      code: 405,
      reason: 'MethodNotAllowed',
    });

    const pods = new BindingPodRegistry();
    const { client } = await serve(pods);
    await client.create(inDefault, pod('web'));
    expect(await client.bind('default', binding)).toMatchObject({ kind: 'Status', status: 'Success' });
    expect((await client.get(inDefault, 'web')).spec).toMatchObject({ nodeName: 'node-1' });
    const again = await caught(client.bind('default', binding));
    expect(again).toMatchObject({ code: 409, reason: 'Conflict' });
    expect(isStatusError(again, 'Conflict')).toBe(true);
  });

  it('serves the status and scale subresources, and 404 for those a registry lacks', async () => {
    const plain = await serve(new FakePodRegistry());
    await plain.client.create(inDefault, pod('web'));
    expect(await plain.client.getSubresource(inDefault, 'web', 'status')).toMatchObject({ metadata: { name: 'web' } });
    const updated = await plain.client.updateSubresource(inDefault, 'web', 'status', {
      ...pod('web'),
      status: { phase: 'Pending' },
    });
    expect(updated.status).toEqual({ phase: 'Pending' });
    expect(await caught(plain.client.getSubresource(inDefault, 'web', 'scale'))).toMatchObject({
      code: 404,
      message: 'the server could not find the requested resource (pods/scale)',
    });
    expect(await caught(plain.client.updateSubresource(inDefault, 'web', 'finalize', pod('web')))).toMatchObject({
      code: 404,
    });

    const scaled = await serve(new ScaledPodRegistry());
    await scaled.client.create(inDefault, pod('web'));
    expect(await scaled.client.getSubresource(inDefault, 'web', 'scale')).toMatchObject({
      kind: 'Scale',
      spec: { replicas: 1 },
    });
    const scale = { apiVersion: 'autoscaling/v1', kind: 'Scale', metadata: { name: 'web' }, spec: { replicas: 3 } };
    expect(await scaled.client.updateSubresource(inDefault, 'web', 'scale', scale)).toMatchObject({
      status: { replicas: 3 },
    });
  });

  it('listens on a unix socket', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tkube-grpc-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const pods = new FakePodRegistry();
    const server = await startGrpcServer({ registries: lookup(pods), address: `unix:${join(dir, 'api.sock')}` });
    cleanups.push(() => server.stop());
    expect(server.port).toBeUndefined();
    const client = ApiClient.connect({ address: server.address });
    cleanups.push(() => client.close());
    await client.create(inDefault, pod('web'));
    expect((await client.list(inDefault)).items).toHaveLength(1);
  });
});

async function until(condition: () => boolean, timeoutMs = 2000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out waiting for a condition');
    await new Promise((r) => setTimeout(r, 5));
  }
}
