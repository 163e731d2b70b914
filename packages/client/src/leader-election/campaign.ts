/**
 * The loop every leader-elected component runs: lead while holding the Lease, and after
 * losing it (a failed renewal, another holder) campaign again, until stopped. One elector
 * per term, as client-go's: an elector runs once.
 */
import type { StatusError } from '@tkube/api';
import { type LeaderElectionConfig, LeaderElector } from './leader-elector.js';

export interface CampaignLogger {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

export interface CampaignOptions extends Omit<LeaderElectionConfig, 'callbacks' | 'onError' | 'releaseOnCancel'> {
  /** The work of a term: must stop when `signal` aborts. */
  lead(signal: AbortSignal): void | Promise<void>;
  logger: CampaignLogger;
}

export interface Campaign {
  isLeader(): boolean;
  /** Resolves once `signal` aborted and the last term ended (its Lease released). */
  done: Promise<void>;
}

export function campaign(options: CampaignOptions, signal: AbortSignal): Campaign {
  const { lead, logger, ...election } = options;
  let elector: LeaderElector | undefined;
  const done = (async () => {
    while (!signal.aborted) {
      elector = new LeaderElector({
        ...election,
        releaseOnCancel: true,
        callbacks: {
          onStartedLeading: lead,
          onStoppedLeading: () => logger.info({ identity: election.identity }, 'stopped leading'),
          onNewLeader: (identity) => logger.info({ leader: identity }, 'new leader elected'),
        },
        onError: (err: StatusError) =>
          logger.warn({ err: err.message }, 'leader election: talking to the apiserver failed'),
      });
      try {
        await elector.run(signal);
      } catch (err) {
        logger.error({ err }, 'leading stopped with an error');
      }
    }
  })();
  return { isLeader: () => elector?.isLeader() ?? false, done };
}
