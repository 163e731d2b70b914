/**
 * An in-memory DockerEngine for unit tests: containers are records whose state the test
 * moves (`finish`), logs are canned streams. Used by the unit tests only.
 */

import { PassThrough, Readable } from 'node:stream';
import type {
  ContainerDetails,
  ContainerSpec,
  ContainerSummary,
  DockerEngine,
  EngineVersion,
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
  private nextId = 1;

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
  }

  async stopContainer(id: string, timeoutSeconds: number): Promise<void> {
    this.calls.push(`stop ${id} ${timeoutSeconds}`);
    const container = this.find(id);
    if (container?.details.status === 'running') this.finish(id, 137);
  }

  async removeContainer(id: string): Promise<void> {
    this.calls.push(`remove ${id}`);
    const container = this.find(id);
    if (container) this.containers.delete(container.details.id);
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
