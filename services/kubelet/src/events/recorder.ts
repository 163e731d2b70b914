/**
 * The kubelet's event recorder (client-go's record.EventRecorder and its correlator, in
 * small): core/v1 Events about a pod, with kube's reasons and source.component "kubelet".
 * An event that repeats one already posted (same object, type, reason and message) is not
 * posted again: the first one's count goes up and its lastTimestamp moves, as kube does.
 * Posting never throws and never blocks the caller: events are a best-effort record.
 */
import type { Event, KubeObject, ObjectMeta } from '@tkube/api';

export type EventType = 'Normal' | 'Warning';

/** The reasons the kubelet uses (kube's pkg/kubelet/events). */
export const REASONS = {
  pulling: 'Pulling',
  pulled: 'Pulled',
  failed: 'Failed',
  errImageNeverPull: 'ErrImageNeverPull',
  created: 'Created',
  started: 'Started',
  killing: 'Killing',
  backOff: 'BackOff',
  unhealthy: 'Unhealthy',
  failedMount: 'FailedMount',
  failedPostStartHook: 'FailedPostStartHook',
  failedPreStopHook: 'FailedPreStopHook',
  sandboxChanged: 'SandboxChanged',
  failedCreatePodSandBox: 'FailedCreatePodSandBox',
  networkNotReady: 'NetworkNotReady',
  failedKillPod: 'FailedKillPod',
  probeWarning: 'ProbeWarning',
  nodeReady: 'NodeReady',
  starting: 'Starting',
  registeredNode: 'RegisteredNode',
} as const;

/** What the recorder needs of the apiserver: ApiClient fits. */
export interface EventSink {
  create(event: Event): Promise<unknown>;
  patchCount(namespace: string, name: string, count: number, lastTimestamp: string): Promise<unknown>;
}

export interface EventRecorder {
  /** `fieldPath` names a container ("spec.containers{web}") as kube does. */
  event(object: KubeObject, type: EventType, reason: string, message: string, fieldPath?: string): void;
}

interface Posted {
  namespace: string;
  name: string;
  count: number;
}

const MAX_REMEMBERED = 4096;

export class KubeletEventRecorder implements EventRecorder {
  private readonly posted = new Map<string, Posted>();
  /** Posts for one event key run in order, so a count patch never overtakes its create. */
  private chain: Promise<void> = Promise.resolve();

  constructor(
    private readonly sink: EventSink,
    private readonly host: string,
    private readonly onError: (err: unknown) => void = () => undefined,
    private readonly now: () => Date = () => new Date(),
  ) {}

  event(object: KubeObject, type: EventType, reason: string, message: string, fieldPath?: string): void {
    const meta: ObjectMeta = object.metadata ?? {};
    const key = [meta.uid, meta.namespace, meta.name, fieldPath ?? '', type, reason, message].join('\u0000');
    const timestamp = this.now()
      .toISOString()
      .replace(/\.\d+Z$/, 'Z');
    const previous = this.posted.get(key);
    if (previous) {
      previous.count += 1;
      const { namespace, name, count } = previous;
      this.enqueue(() => this.sink.patchCount(namespace, name, count, timestamp));
      return;
    }
    const namespace = meta.namespace || 'default';
    const name = `${meta.name ?? 'unknown'}.${this.uniqueSuffix()}`;
    this.remember(key, { namespace, name, count: 1 });
    const involvedObject: NonNullable<Event['involvedObject']> = {
      kind: object.kind ?? 'Pod',
      namespace: meta.namespace,
      name: meta.name,
      uid: meta.uid,
      apiVersion: object.apiVersion ?? 'v1',
      resourceVersion: meta.resourceVersion,
    };
    if (fieldPath) involvedObject.fieldPath = fieldPath;
    const event: Event = {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name, namespace },
      involvedObject,
      reason,
      message,
      type,
      source: { component: 'kubelet', host: this.host },
      firstTimestamp: timestamp,
      lastTimestamp: timestamp,
      count: 1,
      reportingComponent: 'kubelet',
      reportingInstance: this.host,
    };
    this.enqueue(() => this.sink.create(event));
  }

  /** Resolves once every event recorded so far was posted (or failed). For tests and shutdown. */
  flush(): Promise<void> {
    return this.chain;
  }

  private enqueue(post: () => Promise<unknown>): void {
    this.chain = this.chain.then(
      () => post().then(() => undefined, this.onError),
      () => undefined,
    );
  }

  private remember(key: string, posted: Posted): void {
    if (this.posted.size >= MAX_REMEMBERED) {
      const oldest = this.posted.keys().next().value;
      if (oldest !== undefined) this.posted.delete(oldest);
    }
    this.posted.set(key, posted);
  }

  /** kube names events "<object>.<hex of the time in ns>": unique enough and sortable. */
  private uniqueSuffix(): string {
    const nanos = BigInt(this.now().getTime()) * 1_000_000n + BigInt(Math.floor(Math.random() * 1_000_000));
    return nanos.toString(16);
  }
}

/** kube's field path of a container in a pod spec. */
export function containerFieldPath(containerName: string, init = false): string {
  return `spec.${init ? 'initContainers' : 'containers'}{${containerName}}`;
}
