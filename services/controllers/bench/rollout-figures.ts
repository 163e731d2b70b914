/** The rollout's figures, from the tracker's times and when each Deployment was sent. */

import { type Distribution, distribution } from '../../../bench-kit/stats.ts';
import type { RolloutTracker } from './rollout-tracker.ts';

/** Every pod Running and every Deployment available, or (unschedulable pods) every pod created. */
export type RolloutGoal = 'available' | 'created';

export interface RolloutFigures {
  goal: RolloutGoal;
  complete: boolean;
  podsSeen: number;
  podsScheduled: number;
  podsRunning: number;
  deploymentsAvailable: number;
  /** Seconds from the first Deployment POST sent. */
  seconds: {
    deploymentsCreated: number;
    allPodsCreated: number;
    allPodsScheduled: number;
    allPodsRunning: number;
    allDeploymentsAvailable: number;
  };
  /** Per pod, in ms, between the instants the watch first saw each state. */
  podMs: { createdToScheduled: Distribution; scheduledToRunning: Distribution; createdToRunning: Distribution };
  /**
   * Per Deployment, in ms: from its POST sent to its ReplicaSet seen (the deployment
   * controller), from that to its 10th pod seen (the ReplicaSet controller), and from its
   * POST to its availableReplicas 10 seen.
   */
  deploymentMs: {
    postToReplicaSet: Distribution;
    replicaSetToAllPodsCreated: Distribution;
    postToAllPodsCreated: Distribution;
    postToAvailable: Distribution;
  };
  /** Pods created (seen) per second, by the ReplicaSet controller, first to last. */
  podCreatesPerSecond: number;
  /** Watch events by kind and type: the writes made to the scenario's objects. */
  events: Record<string, number>;
}

export function rolloutFigures(
  tracker: RolloutTracker,
  start: number,
  postedAt: ReadonlyMap<string, number>,
  deploymentsCreatedAt: number,
  replicas: number,
  goal: RolloutGoal,
): RolloutFigures {
  const pods = [...tracker.pods.values()];
  const seconds = (at: number) => Math.round((at - start) / 10) / 100;
  const expected = postedAt.size * replicas;
  // The instant the last of the expected pods got there; NaN when some never did.
  const last = (values: Array<number | undefined>) =>
    values.length < expected || values.some((v) => v === undefined) ? Number.NaN : Math.max(...(values as number[]));
  const counts = tracker.counts();
  const complete =
    goal === 'created' ? tracker.allPodsCreated() : tracker.allPodsRunning() && tracker.allDeploymentsAvailable();

  const podsOf = new Map<string, number[]>();
  for (const pod of pods) podsOf.set(pod.deployment, [...(podsOf.get(pod.deployment) ?? []), pod.seen]);
  const toReplicaSet: number[] = [];
  const replicaSetToAllCreated: number[] = [];
  const toAllCreated: number[] = [];
  const toAvailable: number[] = [];
  for (const [name, posted] of postedAt) {
    const seen = (podsOf.get(name) ?? []).sort((a, b) => a - b);
    const tenth = seen[replicas - 1];
    const replicaSet = tracker.replicaSetSeen.get(name);
    if (replicaSet !== undefined) toReplicaSet.push(replicaSet - posted);
    if (replicaSet !== undefined && tenth !== undefined) replicaSetToAllCreated.push(tenth - replicaSet);
    if (tenth !== undefined) toAllCreated.push(tenth - posted);
    const available = tracker.available.get(name);
    if (available !== undefined) toAvailable.push(available - posted);
  }
  const firstSeen = Math.min(...pods.map((p) => p.seen));
  const lastSeen = Math.max(...pods.map((p) => p.seen));

  return {
    goal,
    complete,
    ...counts,
    seconds: {
      deploymentsCreated: seconds(deploymentsCreatedAt),
      allPodsCreated: seconds(last(pods.map((p) => p.seen))),
      allPodsScheduled: seconds(last(pods.map((p) => p.scheduled))),
      allPodsRunning: seconds(last(pods.map((p) => p.running))),
      allDeploymentsAvailable: tracker.allDeploymentsAvailable()
        ? seconds(Math.max(...tracker.available.values()))
        : Number.NaN,
    },
    podMs: {
      createdToScheduled: distribution(pods.map((p) => (p.scheduled ?? Number.NaN) - p.seen)),
      scheduledToRunning: distribution(pods.map((p) => (p.running ?? Number.NaN) - (p.scheduled ?? Number.NaN))),
      createdToRunning: distribution(pods.map((p) => (p.running ?? Number.NaN) - p.seen)),
    },
    deploymentMs: {
      postToReplicaSet: distribution(toReplicaSet),
      replicaSetToAllPodsCreated: distribution(replicaSetToAllCreated),
      postToAllPodsCreated: distribution(toAllCreated),
      postToAvailable: distribution(toAvailable),
    },
    events: { ...tracker.events },
    podCreatesPerSecond: pods.length > 1 ? Math.round(pods.length / ((lastSeen - firstSeen) / 1000)) : Number.NaN,
  };
}
