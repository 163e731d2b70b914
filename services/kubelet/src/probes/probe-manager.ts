/**
 * Starts and stops the probe workers of each pod's containers as pods come and go
 * (kube's prober.Manager): one worker per container and probe kind.
 */
import type { Pod } from '@tkube/api';
import type { ProbeKind } from './probe-results.js';
import { ProbeWorker, type ProbeWorkerDeps } from './probe-worker.js';

export class ProbeManager {
  private readonly workers = new Map<string, Map<string, ProbeWorker>>();

  constructor(private readonly deps: ProbeWorkerDeps) {}

  /** Makes sure every probe of the pod has a worker; safe to call on every sync. */
  addPod(pod: Pod): void {
    const uid = pod.metadata?.uid ?? '';
    let byKey = this.workers.get(uid);
    if (!byKey) this.workers.set(uid, (byKey = new Map()));
    for (const container of pod.spec?.containers ?? []) {
      const probes: Array<[ProbeKind, typeof container.livenessProbe]> = [
        ['startup', container.startupProbe],
        ['liveness', container.livenessProbe],
        ['readiness', container.readinessProbe],
      ];
      for (const [kind, probe] of probes) {
        if (!probe) continue;
        const key = `${container.name}/${kind}`;
        const existing = byKey.get(key);
        if (existing) {
          existing.updatePod(pod);
          continue;
        }
        const worker = new ProbeWorker(pod, container, kind, probe, this.deps);
        byKey.set(key, worker);
        worker.seedFromApi();
        worker.start();
      }
    }
  }

  removePod(uid: string): void {
    for (const worker of this.workers.get(uid)?.values() ?? []) worker.stop();
    this.workers.delete(uid);
  }

  stop(): void {
    for (const uid of [...this.workers.keys()]) this.removePod(uid);
  }
}
