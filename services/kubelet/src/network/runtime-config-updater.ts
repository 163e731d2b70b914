/**
 * Tells the container runtime the node's pod CIDR (CRI UpdateRuntimeConfig), as kube's
 * kubelet does in updatePodCIDR: once per change, retried with back-off until the runtime
 * takes it, and only then is the CIDR the kubelet's (`onApplied`), so no pod gets a
 * sandbox before its runtime knows where pod IPs come from. Calls never overlap, so the
 * runtime always ends with the newest CIDR; a newer CIDR that arrives during a back-off
 * or a failing call is sent at once instead of the stale one.
 */
import type { RuntimeApi } from '@tkube/api/cri';
import { Backoff, type Clock, realClock } from '@tkube/client';
import type { Logger } from 'pino';

export interface RuntimeConfigUpdaterOptions {
  runtime: Pick<RuntimeApi, 'updateRuntimeConfig'>;
  logger: Logger;
  /** The runtime accepted `podCidr`. */
  onApplied?: (podCidr: string) => void;
  clock?: Clock;
  /** First retry delay; doubles up to `maxRetryDelayMs`. */
  initialRetryDelayMs?: number;
  maxRetryDelayMs?: number;
}

const CALL_TIMEOUT_MS = 5_000;

export class RuntimeConfigUpdater {
  private wanted: string | undefined;
  /** The CIDR the runtime last accepted. */
  private applied: string | undefined;
  private sending = false;
  private stopped = false;
  private readonly retry: Backoff;

  constructor(private readonly options: RuntimeConfigUpdaterOptions) {
    this.retry = new Backoff(() => this.send(), {
      initialDelayMs: options.initialRetryDelayMs ?? 1_000,
      maxDelayMs: options.maxRetryDelayMs ?? 30_000,
      clock: options.clock ?? realClock,
    });
  }

  /** Asks for the runtime to use `podCidr`; nothing happens when it already does. */
  update(podCidr: string): void {
    if (this.stopped || podCidr === this.wanted) return;
    this.wanted = podCidr;
    // A pending retry was for an older CIDR: the new one goes out now, with a fresh back-off.
    this.retry.stop();
    this.retry.reset();
    this.send();
  }

  stop(): void {
    this.stopped = true;
    this.retry.stop();
  }

  private send(): void {
    if (this.sending || this.stopped) return;
    this.sending = true;
    void this.sendUntilCurrent().finally(() => {
      this.sending = false;
    });
  }

  private async sendUntilCurrent(): Promise<void> {
    while (!this.stopped && this.wanted !== undefined && this.wanted !== this.applied) {
      const podCidr = this.wanted;
      try {
        await this.options.runtime.updateRuntimeConfig(
          { runtimeConfig: { networkConfig: { podCidr } } },
          { timeoutMs: CALL_TIMEOUT_MS },
        );
      } catch (err) {
        if (this.stopped) return;
        // A newer CIDR came in meanwhile: that one goes out now, not after a back-off.
        if (this.wanted !== podCidr) continue;
        const delayMs = this.retry.runOnce();
        this.options.logger.warn(
          { err: err instanceof Error ? err.message : String(err), podCidr, retryInMs: Math.round(delayMs) },
          'telling the container runtime the pod CIDR failed; retrying',
        );
        return;
      }
      this.applied = podCidr;
      this.retry.reset();
      this.options.logger.info({ podCidr }, 'updated the container runtime with the pod CIDR');
      this.options.onApplied?.(podCidr);
    }
  }
}
