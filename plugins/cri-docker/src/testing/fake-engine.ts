/**
 * An in-memory DockerEngine for unit tests: containers are records whose state the test
 * moves (`finish`), logs are canned streams, and every state change is an event on the
 * event stream, as Docker reports it. Used by the unit tests only.
 */

import { EventEmitter, on } from 'node:events';
import { PassThrough, Readable } from 'node:stream';
import type {
  ContainerDetails,
  ContainerSpec,
  ContainerSummary,
  DockerEngine,
  EngineEvent,
  EngineEventAction,
  EngineVersion,
  EventOptions,
  ExecHandle,
  ImageDetails,
  LogOptions,
  ResourceLimits,
  UsageSample,
} from '../docker/engine.js';
import { EngineError } from '../docker/engine.js';

export interface FakeContainer {
  spec: ContainerSpec;
  details: ContainerDetails;
  created: number;
}

const ZERO_TIME = '0001-01-01T00:00:00Z';

export class FakeEngine implements DockerEngine {
  readonly containers = new Map<string, FakeContainer>();
  readonly images = new Map<string, ImageDetails>();
  readonly calls: string[] = [];
  logChunks = new Map<string, Buffer[]>();
  /** Every event so far, for streams that replay from a time. */
  readonly eventLog: EngineEvent[] = [];
  private readonly bus = new EventEmitter();
  private lastEventNanos = 1_700_000_000_000_000_000n;
  private nextId = 1;

  /** How many event streams follow this engine now. */
  get eventStreams(): number {
    return this.bus.listenerCount('event');
  }

  /** Fails every event stream, as Docker going away would. */
  breakEventStreams(error: Error = new EngineError('docker went away', 503)): void {
    if (this.bus.listenerCount('error') > 0) this.bus.emit('error', error);
  }

  async *events(options: EventOptions): AsyncIterable<EngineEvent> {
    const matches = (event: EngineEvent) =>
      Object.entries(options.labels).every(([key, value]) => event.attributes[key] === value);
    // Subscribed before the replay is read, so nothing falls between the two.
    const live = on(this.bus, 'event', { signal: options.signal });
    const since = options.sinceNanos;
    if (since !== undefined) {
      for (const event of this.eventLog.filter((e) => e.timeNanos >= since)) if (matches(event)) yield event;
    }
    try {
      for await (const [event] of live as AsyncIterable<[EngineEvent]>) if (matches(event)) yield event;
    } catch (err) {
      if (options.signal.aborted) return;
      throw err;
    }
  }

  private emitEvent(action: EngineEventAction, container: FakeContainer): void {
    this.lastEventNanos += 1_000_000n;
    const event: EngineEvent = {
      action,
      id: container.details.id,
      attributes: {
        ...container.details.labels,
        name: container.details.name,
        image: container.details.image,
        ...(action === 'die' ? { exitCode: String(container.details.exitCode) } : {}),
      },
      timeNanos: this.lastEventNanos,
    };
    this.eventLog.push(event);
    this.bus.emit('event', event);
  }

  addImage(reference: string, image: Partial<ImageDetails> = {}): ImageDetails {
    const details: ImageDetails = {
      id: image.id ?? `sha256:${reference.replace(/\W/g, '')}`,
      repoTags: image.repoTags ?? [reference],
      repoDigests: image.repoDigests ?? [],
      size: image.size ?? 1000,
      user: image.user ?? '',
    };
    this.images.set(reference, details);
    return details;
  }

  async version(): Promise<EngineVersion> {
    return { version: '20.10.24', apiVersion: '1.41' };
  }

  async dataRoot(): Promise<string> {
    return '/var/lib/docker';
  }

  async layersSize(): Promise<number> {
    return 4096;
  }

  async createContainer(spec: ContainerSpec): Promise<string> {
    this.calls.push(`create ${spec.name}`);
    if ([...this.containers.values()].some((container) => container.details.name === spec.name)) {
      throw new EngineError(`Conflict. The container name "/${spec.name}" is already in use`, 409);
    }
    const image = this.images.get(spec.image);
    if (!image) throw new EngineError(`No such image: ${spec.image}`, 404);
    const id = `${String(this.nextId++).padStart(4, '0')}${'f'.repeat(60)}`;
    const created = 1_700_000_000 + this.nextId;
    this.containers.set(id, {
      spec,
      created,
      details: {
        id,
        name: spec.name,
        image: spec.image,
        imageId: image.id,
        labels: { ...spec.labels },
        created: new Date(created * 1000).toISOString(),
        status: 'created',
        pid: 0,
        exitCode: 0,
        oomKilled: false,
        error: '',
        startedAt: ZERO_TIME,
        finishedAt: ZERO_TIME,
        tty: spec.tty ?? false,
        mounts: [],
        resolvConfPath: '',
        resources: { ...spec.resources },
        networkMode: spec.networkMode,
        ipcMode: spec.ipcMode ?? '',
        pidMode: spec.pidMode ?? '',
      },
    });
    this.emitEvent('create', this.containers.get(id) as FakeContainer);
    return id;
  }

  private find(id: string): FakeContainer | undefined {
    return this.containers.get(id) ?? [...this.containers.values()].find((container) => container.details.name === id);
  }

  async startContainer(id: string): Promise<void> {
    this.calls.push(`start ${id}`);
    const container = this.find(id);
    if (!container) throw new EngineError('no such container', 404);
    container.details.status = 'running';
    container.details.pid = 4242;
    container.details.startedAt = '2024-05-01T10:00:00.123456789Z';
    this.emitEvent('start', container);
  }

  /** Moves a container to exited, as its process ending would. */
  finish(id: string, exitCode: number, oomKilled = false): void {
    const container = this.find(id);
    if (!container) throw new Error(`no container ${id}`);
    container.details.status = 'exited';
    container.details.pid = 0;
    container.details.exitCode = exitCode;
    container.details.oomKilled = oomKilled;
    container.details.finishedAt = '2024-05-01T10:00:05.000000001Z';
    this.emitEvent('die', container);
  }

  async stopContainer(id: string, timeoutSeconds: number): Promise<void> {
    this.calls.push(`stop ${id} ${timeoutSeconds}`);
    const container = this.find(id);
    if (container?.details.status === 'running') this.finish(id, 137);
  }

  async removeContainer(id: string): Promise<void> {
    this.calls.push(`remove ${id}`);
    const container = this.find(id);
    if (!container) return;
    if (container.details.status === 'running') this.finish(container.details.id, 137);
    this.containers.delete(container.details.id);
    this.emitEvent('destroy', container);
  }

  async inspectContainer(id: string): Promise<ContainerDetails | undefined> {
    const container = this.find(id);
    return container && structuredClone(container.details);
  }

  async listContainers(labels: Record<string, string>): Promise<ContainerSummary[]> {
    return [...this.containers.values()]
      .filter((container) => Object.entries(labels).every(([key, value]) => container.details.labels[key] === value))
      .map((container) => ({
        id: container.details.id,
        image: container.details.image,
        imageId: container.details.imageId,
        labels: { ...container.details.labels },
        status: container.details.status,
        created: container.created,
      }));
  }

  async updateContainer(id: string, resources: ResourceLimits): Promise<void> {
    const container = this.find(id);
    if (!container) throw new EngineError('no such container', 404);
    container.details.resources = { ...container.details.resources, ...resources };
  }

  async containerUsage(): Promise<UsageSample> {
    return {
      cpuTotalNanos: 123_000_000,
      memoryWorkingSetBytes: 2_000_000,
      memoryUsageBytes: 3_000_000,
      memoryLimitBytes: 10_000_000,
      rssBytes: 1_000_000,
      pageFaults: 10,
      majorPageFaults: 1,
    };
  }

  async resizeContainer(): Promise<void> {}

  async exec(): Promise<ExecHandle> {
    const stream = new PassThrough();
    stream.end();
    return { stream, resize: async () => {}, exitCode: async () => 0 };
  }

  async attach(): Promise<PassThrough> {
    const stream = new PassThrough();
    stream.end();
    return stream;
  }

  async logs(id: string, _options: LogOptions): Promise<Readable> {
    return Readable.from(this.logChunks.get(id) ?? []);
  }

  async listImages(): Promise<ImageDetails[]> {
    const unique = new Map([...this.images.values()].map((image) => [image.id, image]));
    return [...unique.values()];
  }

  async inspectImage(reference: string): Promise<ImageDetails | undefined> {
    return this.images.get(reference) ?? [...this.images.values()].find((image) => image.id === reference);
  }

  async pullImage(reference: string): Promise<void> {
    this.calls.push(`pull ${reference}`);
    throw new EngineError(`pull access denied for ${reference}: no registry reachable`, 500);
  }

  async removeImage(reference: string): Promise<void> {
    this.calls.push(`rmi ${reference}`);
    const image = this.images.get(reference);
    if (image) this.images.delete(reference);
    for (const [key, value] of this.images) if (value.id === reference) this.images.delete(key);
  }
}
