/**
 * One probe of one container, run every periodSeconds (kube's prober worker): it follows
 * the container through restarts (by container ID), waits initialDelaySeconds after the
 * container started and, for liveness and readiness, until the startup probe passed;
 * a verdict is recorded only after successThreshold successes or failureThreshold
 * failures in a row. After a liveness or startup failure it holds until the container is
 * replaced. Failures post an Unhealthy event.
 */
import type { Container, Pod, PodStatus, Probe } from '@tkube/api';
import type { Clock, Timer } from '@tkube/client';
import { runtimeIdOf } from '../status/container-statuses.js';
import type { ProbeKind, ProbeResults } from './probe-results.js';
import type { ProbeOutcome, ProbeResult } from './probe-runners.js';

export interface ProbeWorkerDeps {
  results: ProbeResults;
  clock: Clock;
  /** The kubelet's latest status of the pod. */
  statusOf(uid: string): PodStatus | undefined;
  /** Runs the probe's handler against the container. */
  run(probe: Probe, container: Container, containerId: string, podIp: string): Promise<ProbeResult>;
  unhealthy(pod: Pod, container: Container, kind: ProbeKind, output: string): void;
  /** Milliseconds since the epoch (container start times are wall-clock). */
  wallNow(): number;
}

const KIND_NAMES: Record<ProbeKind, string> = { liveness: 'Liveness', readiness: 'Readiness', startup: 'Startup' };

export class ProbeWorker {
  private containerId = '';
  private lastResult: ProbeOutcome | undefined;
  private resultRun = 0;
  private onHold = false;
  private timer: Timer | undefined;
  private stopped = false;

  constructor(
    private pod: Pod,
    private readonly container: Container,
    private readonly kind: ProbeKind,
    private readonly probe: Probe,
    private readonly deps: ProbeWorkerDeps,
  ) {}

  /**
   * Before the first round: a container the API already shows ready (a restarted kubelet
   * adopting it) counts as ready at once, so the pod does not flap to not ready.
   */
  seedFromApi(): void {
    if (this.kind !== 'readiness' || this.containerId) return;
    const known = this.pod.status?.containerStatuses?.find((s) => s.name === this.container.name);
    const id = runtimeIdOf(known?.containerID);
    if (!known?.ready || !id || !known.state?.running) return;
    this.containerId = id;
    this.deps.results.set(this.kind, id, 'success', this.pod.metadata?.uid ?? '');
  }

  start(): void {
    // A random first delay spreads the probes of many pods over the period, as kube does.
    this.schedule(Math.random() * this.periodMs());
  }

  stop(): void {
    this.stopped = true;
    this.timer?.cancel();
    if (this.containerId) this.deps.results.remove(this.kind, this.containerId);
  }

  updatePod(pod: Pod): void {
    this.pod = pod;
  }

  /** One round; answers whether the worker should keep going. Public for tests. */
  async doProbe(): Promise<boolean> {
    const uid = this.pod.metadata?.uid ?? '';
    const status = this.deps.statusOf(uid);
    if (!status) return true;
    if (status.phase === 'Succeeded' || status.phase === 'Failed') return false;
    const containerStatus = status.containerStatuses?.find((s) => s.name === this.container.name);
    const id = runtimeIdOf(containerStatus?.containerID);
    if (!containerStatus || !id) return true;
    if (id !== this.containerId) {
      if (this.containerId) this.deps.results.remove(this.kind, this.containerId);
      this.containerId = id;
      this.deps.results.set(this.kind, id, this.initialValueFor(id), uid);
      this.onHold = false;
      this.lastResult = undefined;
      this.resultRun = 0;
    }
    if (this.onHold) return true;
    const running = containerStatus.state?.running;
    if (!running) {
      this.deps.results.set(this.kind, id, 'failure', uid);
      return !containerStatus.state?.terminated || this.pod.spec?.restartPolicy !== 'Never';
    }
    const started = this.deps.results.started(id, this.container);
    if (this.kind !== 'startup' && !started) return true;
    if (this.kind === 'startup' && started) return true;
    const startedAt = running.startedAt ? Date.parse(running.startedAt) : 0;
    if ((this.deps.wallNow() - startedAt) / 1000 < (this.probe.initialDelaySeconds ?? 0)) return true;

    const result = await this.deps.run(this.probe, this.container, id, status.podIP ?? '');
    if (this.stopped) return false;
    if (result.outcome === 'failure')
      this.deps.unhealthy(
        this.pod,
        this.container,
        this.kind,
        `${KIND_NAMES[this.kind]} probe failed: ${result.output}`,
      );
    if (result.outcome === this.lastResult) this.resultRun++;
    else {
      this.lastResult = result.outcome;
      this.resultRun = 1;
    }
    const failureThreshold = this.probe.failureThreshold ?? 3;
    const successThreshold = this.probe.successThreshold ?? 1;
    if (result.outcome === 'failure' && this.resultRun < failureThreshold) return true;
    if (result.outcome === 'success' && this.resultRun < successThreshold) return true;
    if (result.outcome === 'unknown') return true;
    this.deps.results.set(this.kind, id, result.outcome, uid);
    if ((this.kind === 'liveness' || this.kind === 'startup') && result.outcome === 'failure') {
      this.onHold = true;
      this.resultRun = 0;
    }
    return true;
  }

  /**
   * A container the API already shows ready (a restarted kubelet adopting it) stays ready
   * until its probe says otherwise, instead of flapping to not ready for a period.
   */
  private initialValueFor(containerId: string): ProbeOutcome {
    if (this.kind === 'readiness') {
      const known = this.pod.status?.containerStatuses?.find((s) => s.name === this.container.name);
      if (known?.ready && runtimeIdOf(known.containerID) === containerId) return 'success';
    }
    return initialValue(this.kind);
  }

  private periodMs(): number {
    return (this.probe.periodSeconds ?? 10) * 1000;
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = this.deps.clock.setTimer(delayMs, () => {
      this.doProbe().then(
        (keepGoing) => {
          if (keepGoing) this.schedule(this.periodMs());
        },
        () => this.schedule(this.periodMs()),
      );
    });
  }
}

function initialValue(kind: ProbeKind): ProbeOutcome {
  if (kind === 'readiness') return 'failure';
  if (kind === 'liveness') return 'success';
  return 'unknown';
}
