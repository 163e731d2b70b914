/**
 * What the watches of pods, ReplicaSets and Deployments see, on the benchmark's clock
 * (performance.now()): when each Deployment's ReplicaSet first appeared, when each pod first
 * appeared, was first bound to a node, was first Running, and when each Deployment first
 * reported all its replicas available.
 */

export interface PodTimes {
  deployment: string;
  seen: number;
  scheduled?: number;
  running?: number;
}

export interface RolloutCounts {
  podsSeen: number;
  podsScheduled: number;
  podsRunning: number;
  deploymentsAvailable: number;
}

export class RolloutTracker {
  readonly pods = new Map<string, PodTimes>();
  /** Deployment name -> when availableReplicas first reached the goal. */
  readonly available = new Map<string, number>();
  /** Deployment name -> when the first ReplicaSet it owns appeared. */
  readonly replicaSetSeen = new Map<string, number>();
  /** Watch events by kind and type ("Pod MODIFIED"): every write the controllers, scheduler and kubelets made. */
  readonly events: Record<string, number> = {};
  private readonly expectedPods: number;
  private readonly expectedDeployments: number;
  private readonly replicas: number;
  private runningCount = 0;
  private scheduledCount = 0;
  private waiters: Array<{ test: () => boolean; resolve: () => void }> = [];

  constructor(deployments: number, replicas: number) {
    this.expectedDeployments = deployments;
    this.replicas = replicas;
    this.expectedPods = deployments * replicas;
  }

  onPod(type: string, pod: Record<string, unknown>): void {
    this.count('Pod', type);
    if (type === 'DELETED') return;
    const now = performance.now();
    const metadata = (pod.metadata ?? {}) as { name?: string; labels?: Record<string, string> };
    const spec = (pod.spec ?? {}) as { nodeName?: string };
    const status = (pod.status ?? {}) as { phase?: string };
    const name = metadata.name ?? '';
    let times = this.pods.get(name);
    if (!times) {
      times = { deployment: metadata.labels?.app ?? '', seen: now };
      this.pods.set(name, times);
    }
    if (times.scheduled === undefined && spec.nodeName) {
      times.scheduled = now;
      this.scheduledCount++;
    }
    if (times.running === undefined && status.phase === 'Running') {
      times.running = now;
      this.runningCount++;
    }
    this.settle();
  }

  onDeployment(type: string, deployment: Record<string, unknown>): void {
    this.count('Deployment', type);
    if (type === 'DELETED') return;
    const name = ((deployment.metadata ?? {}) as { name?: string }).name ?? '';
    const status = (deployment.status ?? {}) as { availableReplicas?: number };
    if (!this.available.has(name) && (status.availableReplicas ?? 0) >= this.replicas) {
      this.available.set(name, performance.now());
      this.settle();
    }
  }

  onReplicaSet(type: string, replicaSet: Record<string, unknown>): void {
    this.count('ReplicaSet', type);
    if (type === 'DELETED') return;
    const metadata = (replicaSet.metadata ?? {}) as { ownerReferences?: Array<{ kind?: string; name?: string }> };
    const owner = metadata.ownerReferences?.find((ref) => ref.kind === 'Deployment')?.name;
    if (owner && !this.replicaSetSeen.has(owner)) this.replicaSetSeen.set(owner, performance.now());
  }

  counts(): RolloutCounts {
    return {
      podsSeen: this.pods.size,
      podsScheduled: this.scheduledCount,
      podsRunning: this.runningCount,
      deploymentsAvailable: this.available.size,
    };
  }

  allPodsCreated(): boolean {
    return this.pods.size >= this.expectedPods;
  }

  allPodsRunning(): boolean {
    return this.runningCount >= this.expectedPods;
  }

  allDeploymentsAvailable(): boolean {
    return this.available.size >= this.expectedDeployments;
  }

  /** Resolves once test() holds (checked after every event). */
  until(test: () => boolean): Promise<void> {
    if (test()) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ test, resolve }));
  }

  private count(kind: string, type: string): void {
    const key = `${kind} ${type}`;
    this.events[key] = (this.events[key] ?? 0) + 1;
  }

  private settle(): void {
    const waiting = this.waiters;
    this.waiters = [];
    for (const waiter of waiting) {
      if (waiter.test()) waiter.resolve();
      else this.waiters.push(waiter);
    }
  }
}
