/**
 * What one watch on the namespace saw of each pod: when it was first Running, first Ready,
 * when it was deleted, and the pod when first Running (for the container's startedAt).
 * Callers wait on a pod reaching Running or leaving, with a deadline.
 */
import type { Pod } from '@tkube/api';
import type { PodWatchEvent } from './kube-api.ts';

export interface PodTimes {
  name: string;
  /** Epoch ms: the POST was sent, and its 201 received. */
  sentAt?: number;
  ackedAt?: number;
  /** Epoch ms: the watch first showed status.phase Running, the Ready condition True. */
  runningAt?: number;
  readyAt?: number;
  deletedAt?: number;
  /** The pod as the watch showed it first Running (later events may show it terminating). */
  whenRunning?: Pod;
}

interface Waiter {
  done: () => boolean;
  resolve: () => void;
}

export class PodTracker {
  readonly pods = new Map<string, PodTimes>();
  private waiters: Waiter[] = [];

  times(name: string): PodTimes {
    let times = this.pods.get(name);
    if (!times) {
      times = { name };
      this.pods.set(name, times);
    }
    return times;
  }

  onEvent(event: PodWatchEvent): void {
    const name = event.pod.metadata?.name;
    if (!name) return;
    const times = this.times(name);
    if (event.type === 'DELETED') {
      times.deletedAt ??= event.at;
    } else {
      const status = event.pod.status;
      if (status?.phase === 'Running' && times.runningAt === undefined) {
        times.runningAt = event.at;
        times.whenRunning = event.pod;
      }
      if (status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')) times.readyAt ??= event.at;
    }
    this.waiters = this.waiters.filter((w) => {
      if (!w.done()) return true;
      w.resolve();
      return false;
    });
  }

  /** Resolves once `done` holds after some event (or already); rejects at `deadline` (epoch ms). */
  until(what: string, done: () => boolean, deadline: number): Promise<void> {
    if (done()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => {
          this.waiters = this.waiters.filter((w) => w !== waiter);
          reject(new Error(`timed out waiting for ${what}`));
        },
        Math.max(0, deadline - Date.now()),
      );
      const waiter: Waiter = {
        done,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      };
      this.waiters.push(waiter);
    });
  }

  running(name: string, deadline: number): Promise<void> {
    return this.until(`pod ${name} to be Running`, () => this.pods.get(name)?.runningAt !== undefined, deadline);
  }
}
