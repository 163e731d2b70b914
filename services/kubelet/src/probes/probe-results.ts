/**
 * The latest verdict of each probe kind per container id (kube's proberesults.Manager),
 * with a callback on change so the pod is synced at once (liveness kills, readiness turns
 * Ready).
 */
import type { Container } from '@tkube/api';
import type { ProbeVerdicts } from '../pods/compute-pod-actions.js';
import type { ProbeView } from '../status/container-statuses.js';
import type { ProbeOutcome } from './probe-runners.js';

export type ProbeKind = 'liveness' | 'readiness' | 'startup';

export class ProbeResults implements ProbeVerdicts, ProbeView {
  private readonly results: Record<ProbeKind, Map<string, ProbeOutcome>> = {
    liveness: new Map(),
    readiness: new Map(),
    startup: new Map(),
  };

  constructor(private readonly onChange: (podUid: string, kind: ProbeKind) => void = () => undefined) {}

  get(kind: ProbeKind, containerId: string): ProbeOutcome | undefined {
    return this.results[kind].get(containerId);
  }

  set(kind: ProbeKind, containerId: string, outcome: ProbeOutcome, podUid: string): void {
    const previous = this.results[kind].get(containerId);
    this.results[kind].set(containerId, outcome);
    if (previous !== outcome) this.onChange(podUid, kind);
  }

  remove(kind: ProbeKind, containerId: string): void {
    this.results[kind].delete(containerId);
  }

  livenessFailed(containerId: string): boolean {
    return this.get('liveness', containerId) === 'failure';
  }

  startupFailed(containerId: string): boolean {
    return this.get('startup', containerId) === 'failure';
  }

  ready(containerId: string, container: Container): boolean {
    if (!this.started(containerId, container)) return false;
    if (!container.readinessProbe) return true;
    return this.get('readiness', containerId) === 'success';
  }

  started(containerId: string, container: Container): boolean {
    if (!container.startupProbe) return true;
    return this.get('startup', containerId) === 'success';
  }
}
