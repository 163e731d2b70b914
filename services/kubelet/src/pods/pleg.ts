/**
 * The pod lifecycle event generator, kube's evented PLEG beside its generic one.
 *
 * Evented: the kubelet subscribes to the runtime's container events (CRI
 * GetContainerEvents); each event names its pod, whose worker is woken at once, so a
 * container killed from the host is restarted within milliseconds of its death.
 *
 * Generic: every period it lists the runtime's sandboxes and containers, compares their
 * states with the last listing, and wakes the pods that changed (a container exited,
 * appeared or went). Without events (a runtime that answers UNIMPLEMENTED, a stream that
 * broke) this is the only source and runs every second; while events flow it is the safety
 * net and runs every 5 s, as kube slows its generic relist when the evented PLEG is on.
 * A broken stream is followed by an immediate relist (events may have been lost) and by
 * a new subscription after a back-off.
 */
import type { ContainerEventResponse } from '@tkube/api/cri';
import { type Clock, realClock, type Timer } from '@tkube/client';
import {
  type ContainerEventSource,
  ContainerEventSubscription,
  isUnimplemented,
  podUidOf,
} from '../runtime/container-events.js';
import { POD_UID_LABEL } from '../runtime/labels.js';
import type { RuntimeService } from '../runtime/runtime-services.js';

/** The generic relist period, when no events come from the runtime. */
export const RELIST_PERIOD_MS = 1_000;
/** The safety-net relist period while the runtime's events flow. */
export const EVENTED_RELIST_PERIOD_MS = 5_000;

export type PlegRuntime = Pick<RuntimeService, 'listContainers' | 'listPodSandbox'> & ContainerEventSource;

export interface PlegOptions {
  clock?: Clock;
  /** The back-off's jitter source; tests pass a constant. */
  random?: () => number;
  /** Told when events start or stop coming (for the kubelet's log). */
  onEventsChanged?: (flowing: boolean, reason?: string) => void;
}

export class Pleg {
  private last = new Map<string, string>();
  private owners = new Map<string, string>();
  private readonly clock: Clock;
  private readonly events: ContainerEventSubscription;
  private periodMs = RELIST_PERIOD_MS;
  private timer: Timer | undefined;
  private relisting: Promise<void> | undefined;
  /** A relist was asked for while one ran: it runs again when that one ends. */
  private relistAgain = false;
  private started = false;
  private toldFlowing = false;
  private lastBreak: string | undefined;

  constructor(
    private readonly runtime: PlegRuntime,
    private readonly onPodChanged: (uid: string) => void,
    private readonly onError: (err: unknown) => void = () => undefined,
    private readonly options: PlegOptions = {},
  ) {
    this.clock = options.clock ?? realClock;
    this.events = new ContainerEventSubscription(runtime, {
      onEvent: (event) => this.onContainerEvent(event),
      onBroken: (reason) => this.onEventsBroken(reason),
      trustAfterMs: RELIST_PERIOD_MS,
      clock: this.clock,
      ...(options.random ? { random: options.random } : {}),
    });
  }

  /** Starts relisting every `periodMs` (while no events flow) and subscribes to events. */
  start(periodMs = RELIST_PERIOD_MS): void {
    this.periodMs = periodMs;
    this.started = true;
    this.events.start();
    this.schedule();
  }

  stop(): void {
    this.started = false;
    this.timer?.cancel();
    this.timer = undefined;
    this.events.stop();
  }

  /** Whether the runtime's events drive the PLEG now (relists are then the slow safety net). */
  isEvented(): boolean {
    return this.events.isFlowing();
  }

  /** One listing; answers the uids whose pods changed since the last one. Public for tests. */
  async relist(): Promise<Set<string>> {
    const [sandboxes, containers] = await Promise.all([
      this.runtime.listPodSandbox({}),
      this.runtime.listContainers({}),
    ]);
    const current = new Map<string, string>();
    const owners = new Map<string, string>();
    for (const s of sandboxes.items) {
      current.set(`s/${s.id}`, String(s.state));
      owners.set(`s/${s.id}`, s.labels[POD_UID_LABEL] ?? '');
    }
    for (const c of containers.containers) {
      current.set(`c/${c.id}`, String(c.state));
      owners.set(`c/${c.id}`, c.labels[POD_UID_LABEL] ?? '');
    }
    const changed = new Set<string>();
    const previousOwners = this.owners;
    for (const [id, state] of current) {
      if (this.last.get(id) !== state) changed.add(owners.get(id) ?? '');
    }
    for (const id of this.last.keys()) {
      if (!current.has(id)) changed.add(previousOwners.get(id) ?? '');
    }
    changed.delete('');
    this.last = current;
    this.owners = owners;
    for (const uid of changed) this.onPodChanged(uid);
    return changed;
  }

  private onContainerEvent(event: ContainerEventResponse): void {
    this.tellFlowing();
    const uid = podUidOf(event);
    // The event is the news; the pod's worker reads the runtime itself (level-triggered).
    if (uid) this.onPodChanged(uid);
    // A runtime that does not say whose container it is: a listing finds the pod.
    else this.relistNow();
  }

  private onEventsBroken(reason: unknown): void {
    const why = isUnimplemented(reason)
      ? 'the runtime does not implement GetContainerEvents'
      : reason instanceof Error
        ? reason.message
        : 'the runtime ended the stream';
    // Told on each change, not on every failed retry.
    if (this.toldFlowing || why !== this.lastBreak) this.options.onEventsChanged?.(false, why);
    this.lastBreak = why;
    this.toldFlowing = false;
    // Events may have been lost, and relists are due every generic period again.
    this.relistNow();
  }

  private tellFlowing(): void {
    if (this.toldFlowing) return;
    this.toldFlowing = true;
    this.options.onEventsChanged?.(true);
  }

  /** Relists now (or right after the relist in progress) and restarts the period. */
  private relistNow(): void {
    if (!this.started) return;
    if (this.relisting) {
      this.relistAgain = true;
      return;
    }
    this.timer?.cancel();
    this.timer = undefined;
    this.relisting = this.relist()
      .then(
        () => undefined,
        (err: unknown) => this.onError(err),
      )
      .finally(() => {
        this.relisting = undefined;
        if (this.relistAgain) {
          this.relistAgain = false;
          this.relistNow();
        } else {
          this.schedule();
        }
      });
  }

  private schedule(): void {
    if (!this.started) return;
    this.timer?.cancel();
    const evented = this.events.isFlowing();
    if (evented) this.tellFlowing();
    this.timer = this.clock.setTimer(evented ? EVENTED_RELIST_PERIOD_MS : this.periodMs, () => {
      this.timer = undefined;
      this.relistNow();
    });
  }
}
