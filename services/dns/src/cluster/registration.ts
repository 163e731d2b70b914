/**
 * Keeps the kube-dns Service registered: runs the ensurer at start and whenever asked
 * (the informers saw the Service or its slice deleted or changed), retries failures with
 * back-off (the apiserver may still be starting, kube-system may not exist yet), and never
 * runs two at once: a trigger during a run makes one more run after it.
 */
import { Backoff, type BackoffOptions } from '@tkube/client';
import type { EnsureResult } from './ensure-kube-dns.js';

export interface RegistrationLogger {
  info(fields: Record<string, unknown>, message: string): void;
  warn(fields: Record<string, unknown>, message: string): void;
  error(fields: Record<string, unknown>, message: string): void;
}

export interface RegistrationOptions {
  ensure: () => Promise<EnsureResult>;
  logger: RegistrationLogger;
  backoff?: BackoffOptions;
}

export class KubeDnsRegistration {
  private readonly backoff: Backoff;
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = false;
  private succeeded = false;

  constructor(private readonly options: RegistrationOptions) {
    this.backoff = new Backoff(() => this.trigger(), options.backoff);
  }

  /** Runs the ensurer now, or once more after the run under way. */
  trigger(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.runUntilSettled().finally(() => {
      this.running = undefined;
    });
  }

  /** True once a run has succeeded. */
  hasSucceeded(): boolean {
    return this.succeeded;
  }

  /** Resolves when no run is under way (tests). */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.backoff.stop();
    await this.running;
  }

  private async runUntilSettled(): Promise<void> {
    do {
      this.again = false;
      await this.runOnce();
    } while (this.again && !this.stopped);
  }

  private async runOnce(): Promise<void> {
    const { ensure, logger } = this.options;
    try {
      const result = await ensure();
      this.succeeded = true;
      this.backoff.reset();
      if (result.changes.length > 0) logger.info({ changes: result.changes }, 'kube-dns Service registered');
      if (result.conflictingClusterIP !== undefined) {
        logger.error(
          { clusterIP: result.conflictingClusterIP },
          'the kube-dns Service exists at another ClusterIP; pods configured with this server address may not reach it through kube-proxy',
        );
      }
    } catch (err) {
      if (this.stopped) return;
      const delayMs = this.backoff.runOnce();
      logger.warn({ err, retryInMs: Math.round(delayMs) }, 'registering the kube-dns Service failed; retrying');
    }
  }
}
