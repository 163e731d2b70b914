/**
 * The kubelet's subscription to the runtime's container events (CRI GetContainerEvents),
 * kept alive: a stream that breaks, ends, or is refused (UNIMPLEMENTED: the runtime has no
 * events) is retried with back-off, as kube's evented PLEG reconnects. While it is down the
 * PLEG relists at its generic period; `isFlowing()` tells when it may relist less often.
 */
import { status as GrpcStatus } from '@grpc/grpc-js';
import type { ContainerEventResponse, RuntimeApi } from '@tkube/api/cri';
import { Backoff, type Clock, realClock } from '@tkube/client';
import { POD_UID_LABEL } from './labels.js';

export const RESUBSCRIBE_INITIAL_MS = 1_000;
export const RESUBSCRIBE_MAX_MS = 30_000;

export type ContainerEventSource = Partial<Pick<RuntimeApi, 'getContainerEvents'>>;

export interface ContainerEventsOptions {
  /** Called for every event, in the runtime's order. */
  onEvent: (event: ContainerEventResponse) => void;
  /** Called once each time a subscription ends, with why (undefined: the runtime ended it). */
  onBroken: (reason: unknown) => void;
  /**
   * How long a subscription must stay open, with no event yet, to be trusted: a runtime
   * that refuses events does so at once.
   */
  trustAfterMs: number;
  clock?: Clock;
  /** For the back-off's jitter; tests pass a constant. */
  random?: () => number;
}

export class ContainerEventSubscription {
  private readonly clock: Clock;
  private readonly backoff: Backoff;
  private current: { abort: AbortController; openedAt: number; sawEvent: boolean } | undefined;
  private stopped = false;
  /** Why the last subscription failed, if it did. */
  lastFailure: unknown;

  constructor(
    private readonly source: ContainerEventSource,
    private readonly options: ContainerEventsOptions,
  ) {
    this.clock = options.clock ?? realClock;
    this.backoff = new Backoff(() => this.subscribe(), {
      initialDelayMs: RESUBSCRIBE_INITIAL_MS,
      maxDelayMs: RESUBSCRIBE_MAX_MS,
      clock: this.clock,
      ...(options.random ? { random: options.random } : {}),
    });
  }

  /** Whether the runtime can send events at all (the client knows the rpc). */
  get supported(): boolean {
    return this.source.getContainerEvents !== undefined;
  }

  start(): void {
    this.stopped = false;
    this.subscribe();
  }

  stop(): void {
    this.stopped = true;
    this.backoff.stop();
    this.current?.abort.abort();
    this.current = undefined;
  }

  /** An open subscription that delivered an event or has lasted `trustAfterMs`. */
  isFlowing(): boolean {
    const current = this.current;
    if (!current) return false;
    return current.sawEvent || this.clock.now() - current.openedAt >= this.options.trustAfterMs;
  }

  private subscribe(): void {
    const open = this.source.getContainerEvents;
    if (this.stopped || !open || this.current) return;
    const current = { abort: new AbortController(), openedAt: this.clock.now(), sawEvent: false };
    this.current = current;
    let stream: AsyncIterable<ContainerEventResponse>;
    try {
      stream = open({}, { signal: current.abort.signal });
    } catch (err) {
      this.ended(current, err);
      return;
    }
    void this.consume(stream, current);
  }

  private async consume(
    stream: AsyncIterable<ContainerEventResponse>,
    current: NonNullable<ContainerEventSubscription['current']>,
  ): Promise<void> {
    let failure: unknown;
    try {
      for await (const event of stream) {
        if (this.current !== current) return;
        if (!current.sawEvent) {
          current.sawEvent = true;
          this.backoff.reset();
        }
        this.options.onEvent(event);
      }
    } catch (err) {
      failure = err;
    }
    this.ended(current, failure);
  }

  private ended(current: NonNullable<ContainerEventSubscription['current']>, failure: unknown): void {
    if (this.stopped || this.current !== current) return;
    // A subscription that had been trusted was working: the next one starts the back-off over.
    if (this.isFlowing()) this.backoff.reset();
    this.current = undefined;
    this.lastFailure = failure;
    this.options.onBroken(failure);
    this.backoff.runOnce();
  }
}

/** Whether a subscription failed because the runtime has no GetContainerEvents. */
export function isUnimplemented(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === GrpcStatus.UNIMPLEMENTED;
}

/**
 * The uid of the pod an event is about: the sandbox's metadata (what kube's evented PLEG
 * reads), else the pod label of the container's status; '' when the event does not say.
 */
export function podUidOf(event: ContainerEventResponse): string {
  const fromSandbox = event.podSandboxStatus?.metadata?.uid;
  if (fromSandbox) return fromSandbox;
  const container = event.containersStatuses.find((status) => status.id === event.containerId);
  return container?.labels[POD_UID_LABEL] ?? event.podSandboxStatus?.labels[POD_UID_LABEL] ?? '';
}
