/**
 * The lock an elector contends for: one coordination.k8s.io/v1 Lease, client-go's
 * resourcelock.LeaseLock. It keeps the Lease as last read or written, so every update is
 * a compare-and-set on that resourceVersion: a 409 Conflict means another writer changed
 * the Lease since, and this write lost.
 */

import type { Lease } from '@tkube/api';
import { StatusError } from '@tkube/api';
import type { ApiClient } from '../api-client.js';
import type { ResourceTarget } from '../types.js';
import type { LeaderElectionRecord } from './election-record.js';
import { leaseWithRecord, recordOfLease } from './election-record.js';

/** What the lock needs of the apiserver client; ApiClient fits, and so does a test fake. */
export type LeaseClient = Pick<ApiClient, 'get' | 'create' | 'update'>;

export interface LockName {
  namespace: string;
  name: string;
}

export const LEASES: Omit<ResourceTarget, 'namespace'> = {
  group: 'coordination.k8s.io',
  version: 'v1',
  resource: 'leases',
};

export class LeaseLock {
  private readonly target: ResourceTarget;
  private lease: Lease | undefined;

  constructor(
    private readonly client: LeaseClient,
    readonly name: LockName,
  ) {
    this.target = { ...LEASES, namespace: name.namespace };
  }

  /** Reads the record; throws NotFound (a StatusError) when the Lease does not exist. */
  async get(): Promise<LeaderElectionRecord> {
    this.lease = await this.client.get<Lease>(this.target, this.name.name);
    return recordOfLease(this.lease);
  }

  /** Creates the Lease; AlreadyExists means another elector created it first. */
  async create(record: LeaderElectionRecord): Promise<void> {
    const fresh: Lease = { metadata: { name: this.name.name, namespace: this.name.namespace } };
    this.lease = await this.client.create<Lease>(this.target, leaseWithRecord(fresh, record));
  }

  /** Writes the record over the Lease last seen; Conflict when it changed since. */
  async update(record: LeaderElectionRecord): Promise<void> {
    if (!this.lease) throw StatusError.internal(`the lease ${this.describe()} was neither read nor created yet`);
    this.lease = await this.client.update<Lease>(this.target, leaseWithRecord(this.lease, record));
  }

  describe(): string {
    return `${this.name.namespace}/${this.name.name}`;
  }
}
