export type { Campaign, CampaignLogger, CampaignOptions } from './campaign.js';
export { campaign } from './campaign.js';
export type { LeaderElectionRecord } from './election-record.js';
export { LEASE_DURATION_MS_ANNOTATION, leaseWithRecord, recordOfLease } from './election-record.js';
export type { LeaderCallbacks, LeaderElectionConfig } from './leader-elector.js';
export {
  DEFAULT_LEASE_DURATION_MS,
  DEFAULT_RENEW_DEADLINE_MS,
  DEFAULT_RETRY_PERIOD_MS,
  JITTER_FACTOR,
  LeaderElector,
} from './leader-elector.js';
export { leaderElectionMetric } from './leader-metric.js';
export type { LeaseClient, LockName } from './lease-lock.js';
export { LEASES, LeaseLock } from './lease-lock.js';
export { formatMicroTime } from './micro-time.js';
