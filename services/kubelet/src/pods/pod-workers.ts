/**
 * One worker per pod UID, serialized (kube's podWorkers, in small): `enqueue(uid)` asks
 * for a sync; a sync never runs twice at once for a pod; asks that arrive while one runs
 * fold into a single follow-up. Syncs are level-triggered: the sync function reads the
 * pod's latest state itself, so a coalesced ask loses nothing. `enqueueAfter` asks for a
 * sync later (a back-off ends); the earliest pending time wins.
 */
import type { Clock, Timer } from '@tkube/client';
import { realClock } from '@tkube/client';

interface WorkerState {
  running: boolean;
  pending: boolean;
  /** The sync said the pod is gone: drop the state once it ends. */
  forgotten?: boolean;
  timer?: Timer;
  timerAt?: number;
}

export class PodWorkers {
  private readonly workers = new Map<string, WorkerState>();
  private stopped = false;
  private readonly idleWaiters = new Set<() => void>();

  constructor(
    private readonly sync: (uid: string) => Promise<void>,
    private readonly onError: (uid: string, err: unknown) => void,
    private readonly clock: Clock = realClock,
  ) {}

  enqueue(uid: string): void {
    if (this.stopped) return;
    const state = this.stateOf(uid);
    state.forgotten = false;
    if (state.running) {
      state.pending = true;
      return;
    }
    state.running = true;
    void this.run(uid, state);
  }

  enqueueAfter(uid: string, delayMs: number): void {
    if (this.stopped) return;
    const state = this.stateOf(uid);
    const at = this.clock.now() + delayMs;
    if (state.timer && state.timerAt !== undefined && state.timerAt <= at) return;
    state.timer?.cancel();
    state.timerAt = at;
    state.timer = this.clock.setTimer(delayMs, () => {
      state.timer = undefined;
      state.timerAt = undefined;
      this.enqueue(uid);
    });
  }

  /** Forgets a pod whose sync reported it gone; a later enqueue starts afresh. */
  forget(uid: string): void {
    const state = this.workers.get(uid);
    if (!state) return;
    state.timer?.cancel();
    state.timer = undefined;
    state.timerAt = undefined;
    if (state.running) state.forgotten = true;
    else this.workers.delete(uid);
  }

  uids(): string[] {
    return [...this.workers.keys()];
  }

  isBusy(uid: string): boolean {
    return this.workers.get(uid)?.running ?? false;
  }

  /** Resolves once no sync runs (tests, shutdown). */
  async idle(): Promise<void> {
    while ([...this.workers.values()].some((w) => w.running)) {
      await new Promise<void>((resolve) => this.idleWaiters.add(resolve));
    }
  }

  stop(): void {
    this.stopped = true;
    for (const state of this.workers.values()) state.timer?.cancel();
  }

  private stateOf(uid: string): WorkerState {
    let state = this.workers.get(uid);
    if (!state) this.workers.set(uid, (state = { running: false, pending: false }));
    return state;
  }

  private async run(uid: string, state: WorkerState): Promise<void> {
    do {
      state.pending = false;
      try {
        await this.sync(uid);
      } catch (err) {
        this.onError(uid, err);
      }
    } while (state.pending && !this.stopped);
    state.running = false;
    if (state.forgotten && !state.timer && this.workers.get(uid) === state) this.workers.delete(uid);
    for (const wake of this.idleWaiters) wake();
    this.idleWaiters.clear();
  }
}
