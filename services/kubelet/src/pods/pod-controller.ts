/**
 * The kubelet's pod loop: keeps the pods bound to this node (from the informer) and runs
 * each one's sync on its worker. A sync is level-triggered and handles every case:
 * - a live pod: volumes, SyncPod, then the status (written only when it changed);
 * - a pod being deleted: PreStop and stop within the grace period, network and sandbox
 *   down, containers removed, the final status written, then the pod deleted from the
 *   API with grace 0 and its uid as precondition (the kubelet finishes graceful deletion);
 * - a pod no longer in the API (or never seen: found in the runtime at start): its
 *   containers, sandboxes, network and directories are removed.
 * A restarted kubelet adopts running pods: their containers match their specs, so
 * SyncPod has nothing to do.
 */
import type { Pod } from '@tkube/api';
import { isStatusError } from '@tkube/api';
import type { Logger } from 'pino';
import { type EventRecorder, REASONS } from '../events/recorder.js';
import type { NetworkStore } from '../network/network-store.js';
import type { ProbeManager } from '../probes/probe-manager.js';
import type { ProbeResults } from '../probes/probe-results.js';
import { type PodRuntimeStatus, readPodRuntimeStatus } from '../runtime/pod-runtime-status.js';
import type { RuntimeService } from '../runtime/runtime-services.js';
import type { StartFailure } from '../status/container-statuses.js';
import { generatePodStatus } from '../status/generate-pod-status.js';
import { isTerminalPhase } from '../status/pod-phase.js';
import type { StatusManager } from '../status/status-manager.js';
import { type VolumeManager, VolumeSetUpError } from '../volumes/volume-manager.js';
import { admitPod, type NodeCapacity } from './admission.js';
import type { PodSyncer } from './pod-syncer.js';
import type { PodWorkers } from './pod-workers.js';

/** What the controller needs of the apiserver for pods. */
export interface PodApi {
  /** Deletes the pod now (grace 0) if it still has this uid; NotFound is fine. */
  deleteNow(namespace: string, name: string, uid: string): Promise<void>;
}

export interface PodControllerDeps {
  runtime: RuntimeService;
  syncer: PodSyncer;
  volumes: VolumeManager;
  statusManager: StatusManager;
  probes: ProbeManager;
  probeResults: ProbeResults;
  networkStore: NetworkStore;
  recorder: EventRecorder;
  api: PodApi;
  /** Filled in by the kubelet after the runtime answered Version. */
  runtimeName: () => string;
  hostIps: string[];
  /** What the node can hold, for admitting new pods; absent: every pod is admitted. */
  capacity?: NodeCapacity;
  logger: Logger;
  now?: () => number;
}

const RETRY_AFTER_ERROR_MS = 2_000;

export class PodController {
  private readonly pods = new Map<string, Pod>();
  /** The last state of pods that left the API, for their grace period and PreStop hooks. */
  private readonly departed = new Map<string, Pod>();
  private readonly reasons = new Map<string, Map<string, StartFailure>>();
  private readonly admitted = new Set<string>();
  private workers: PodWorkers | undefined;
  private readonly now: () => number;

  constructor(private readonly deps: PodControllerDeps) {
    this.now = deps.now ?? Date.now;
  }

  attach(workers: PodWorkers): void {
    this.workers = workers;
  }

  /** Informer handlers call these. */
  upsert(pod: Pod): void {
    const uid = pod.metadata?.uid;
    if (!uid) return;
    this.pods.set(uid, pod);
    this.workers?.enqueue(uid);
  }

  remove(pod: Pod): void {
    const uid = pod.metadata?.uid;
    if (!uid) return;
    this.pods.delete(uid);
    this.departed.set(uid, pod);
    this.workers?.enqueue(uid);
  }

  podByUid(uid: string): Pod | undefined {
    return this.pods.get(uid);
  }

  /** The pod named `namespace/name` on this node. */
  podByName(namespace: string, name: string): Pod | undefined {
    for (const pod of this.pods.values()) {
      if (pod.metadata?.namespace === namespace && pod.metadata?.name === name) return pod;
    }
    return undefined;
  }

  knownUids(): string[] {
    return [...this.pods.keys()];
  }

  async sync(uid: string): Promise<void> {
    const pod = this.pods.get(uid);
    const runtimeStatus = await this.readRuntime(uid);
    if (!pod) return this.cleanUp(uid, runtimeStatus);
    if (pod.metadata?.deletionTimestamp) return this.terminate(pod, runtimeStatus);
    return this.syncLive(pod, runtimeStatus);
  }

  private async syncLive(pod: Pod, runtimeStatus: PodRuntimeStatus): Promise<void> {
    const uid = pod.metadata?.uid ?? '';
    if (isTerminalPhase(pod.status?.phase)) {
      // A finished (or rejected) pod never runs again; whatever still runs of it stops.
      this.deps.probes.removePod(uid);
      const running =
        runtimeStatus.sandboxes.some((s) => s.ready) || runtimeStatus.containers.some((c) => c.state === 'running');
      if (running) await this.deps.syncer.killPod(pod, runtimeStatus);
      return;
    }
    if (!this.admitted.has(uid)) {
      const isNew = runtimeStatus.sandboxes.length === 0 && runtimeStatus.containers.length === 0;
      if (isNew && !(await this.admit(pod))) return;
      this.admitted.add(uid);
    }
    this.deps.probes.addPod(pod);
    let volumePaths: Map<string, string>;
    try {
      volumePaths = await this.deps.volumes.setUp(pod);
    } catch (err) {
      if (!(err instanceof VolumeSetUpError)) throw err;
      this.deps.recorder.event(pod, 'Warning', REASONS.failedMount, err.message);
      await this.writeStatus(pod, runtimeStatus);
      this.workers?.enqueueAfter(uid, RETRY_AFTER_ERROR_MS);
      return;
    }
    const result = await this.deps.syncer.syncPod(pod, runtimeStatus, volumePaths);
    const reasons = this.reasons.get(uid) ?? new Map<string, StartFailure>();
    for (const name of result.started) reasons.delete(name);
    for (const [name, failure] of result.failures) reasons.set(name, failure);
    this.reasons.set(uid, reasons);

    await this.writeStatus(pod, await this.readRuntime(uid));
    if (result.sandboxError !== undefined) this.workers?.enqueueAfter(uid, RETRY_AFTER_ERROR_MS);
    else if (result.retryAfterMs !== undefined) this.workers?.enqueueAfter(uid, result.retryAfterMs);
  }

  private async terminate(pod: Pod, runtimeStatus: PodRuntimeStatus): Promise<void> {
    const uid = pod.metadata?.uid ?? '';
    const meta = pod.metadata ?? {};
    this.deps.probes.removePod(uid);
    await this.deps.syncer.killPod(pod, runtimeStatus, meta.deletionGracePeriodSeconds ?? undefined);
    const stopped = await this.readRuntime(uid);
    await this.writeStatus(pod, stopped, true);
    await this.deps.syncer.removePod(stopped);
    await this.deps.volumes.tearDown(uid);
    await this.deps.api.deleteNow(meta.namespace ?? 'default', meta.name ?? '', uid);
    this.forget(uid);
    this.deps.logger.info({ pod: `${meta.namespace}/${meta.name}`, uid }, 'pod terminated and deleted');
  }

  private async cleanUp(uid: string, runtimeStatus: PodRuntimeStatus): Promise<void> {
    const last = this.departed.get(uid);
    this.deps.probes.removePod(uid);
    if (runtimeStatus.containers.length > 0 || runtimeStatus.sandboxes.length > 0) {
      await this.deps.syncer.killPod(last, runtimeStatus, last?.metadata?.deletionGracePeriodSeconds ?? undefined);
      await this.deps.syncer.removePod(await this.readRuntime(uid));
      this.deps.logger.info({ uid, pod: last?.metadata?.name }, 'removed a pod that left the API');
    }
    await this.deps.networkStore.delete(uid);
    await this.deps.volumes.tearDown(uid);
    this.forget(uid);
  }

  /** Admits a new pod, or marks it Failed with kube's rejection reason. */
  private async admit(pod: Pod): Promise<boolean> {
    if (!this.deps.capacity) return true;
    const others = [...this.pods.values()].filter(
      (p) =>
        this.admitted.has(p.metadata?.uid ?? '') &&
        !isTerminalPhase(p.status?.phase) &&
        p.metadata?.uid !== pod.metadata?.uid,
    );
    const verdict = admitPod(pod, others, this.deps.capacity);
    if (verdict.admit) return true;
    this.deps.recorder.event(pod, 'Warning', verdict.reason, verdict.message);
    await this.deps.statusManager.setPodStatus(pod, {
      ...pod.status,
      phase: 'Failed',
      reason: verdict.reason,
      message: verdict.message,
    });
    return false;
  }

  private forget(uid: string): void {
    this.admitted.delete(uid);
    this.departed.delete(uid);
    this.reasons.delete(uid);
    this.deps.statusManager.forget(uid);
    this.workers?.forget(uid);
  }

  private async writeStatus(pod: Pod, runtimeStatus: PodRuntimeStatus, podIsTerminal = false): Promise<void> {
    const status = generatePodStatus({
      pod,
      runtime: runtimeStatus,
      failures: this.reasons.get(pod.metadata?.uid ?? '') ?? new Map(),
      probes: this.deps.probeResults,
      runtimeName: this.deps.runtimeName(),
      hostIps: this.deps.hostIps,
      podIsTerminal,
      now: this.now(),
    });
    await this.deps.statusManager.setPodStatus(pod, status);
  }

  private readRuntime(uid: string): Promise<PodRuntimeStatus> {
    return readPodRuntimeStatus(this.deps.runtime, uid, (podUid, sandboxId) =>
      this.deps.networkStore.get(podUid, sandboxId),
    );
  }
}

/** A PodApi over the client's delete. */
export function podApiOf(client: {
  delete(
    target: { group: string; version: string; resource: string; namespace?: string },
    name: string,
    options?: object,
  ): Promise<unknown>;
}): PodApi {
  return {
    async deleteNow(namespace, name, uid) {
      try {
        await client.delete({ group: '', version: 'v1', resource: 'pods', namespace }, name, {
          gracePeriodSeconds: 0,
          preconditions: { uid },
        });
      } catch (err) {
        if (isStatusError(err, 'NotFound') || isStatusError(err, 'Conflict')) return;
        throw err;
      }
    },
  };
}
