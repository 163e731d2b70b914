/**
 * The kubelet's node loops: register the Node (create, or update the one a previous run
 * made), renew its Lease in kube-node-lease every 10 s (a quarter of the lease duration),
 * and post the Node's status every 10 s when it changed, or every 5 minutes as a
 * heartbeat (kube's nodeStatusReportFrequency: the Lease is the frequent heartbeat).
 */
import type { Lease, Node } from '@tkube/api';
import { isStatusError } from '@tkube/api';
import { formatMicroTime } from '@tkube/client';
import type { Logger } from 'pino';
import type { EventRecorder } from '../events/recorder.js';
import {
  type NodeFacts,
  type NodeStatus,
  nodeObject,
  nodeStatus,
  type Readiness,
  statusChanged,
} from './node-object.js';

export const NODE_LEASE_NAMESPACE = 'kube-node-lease';
const NODES = { group: '', version: 'v1', resource: 'nodes' };
const LEASES = { group: 'coordination.k8s.io', version: 'v1', resource: 'leases', namespace: NODE_LEASE_NAMESPACE };

/** What the agent needs of the apiserver: ApiClient fits. */
export interface NodeApi {
  get<T>(target: typeof NODES | typeof LEASES, name: string): Promise<T>;
  create<T>(target: typeof NODES | typeof LEASES, object: T): Promise<T>;
  update<T>(target: typeof NODES | typeof LEASES, object: T): Promise<T>;
  patch<T>(
    target: typeof NODES,
    name: string,
    type: 'merge',
    patch: unknown,
    options: { subresource: 'status' },
  ): Promise<T>;
}

export interface NodeAgentOptions {
  api: NodeApi;
  facts: NodeFacts;
  readiness: () => Promise<Readiness>;
  leaseDurationSeconds: number;
  statusIntervalMs?: number;
  reportIntervalMs?: number;
  logger: Logger;
  /** Node events (Starting, NodeReady, NodeNotReady), as kube records them. */
  recorder?: EventRecorder;
  now?: () => Date;
}

const DEFAULT_STATUS_INTERVAL_MS = 10_000;
const DEFAULT_REPORT_INTERVAL_MS = 5 * 60_000;

export class NodeAgent {
  private node: Node | undefined;
  private lastStatus: NodeStatus | undefined;
  private lastPostAt = 0;
  private timers: NodeJS.Timeout[] = [];
  private readonly now: () => Date;

  constructor(private readonly options: NodeAgentOptions) {
    this.now = options.now ?? (() => new Date());
  }

  /** Registers the Node and posts its first status; retries until the apiserver answers. */
  async register(): Promise<Node> {
    const { api, facts } = this.options;
    const wanted = nodeObject(facts);
    try {
      this.node = await api.create(NODES, wanted);
      this.options.logger.info({ node: facts.nodeName }, 'registered the node');
    } catch (err) {
      if (!isStatusError(err, 'AlreadyExists')) throw err;
      const existing = await api.get<Node>(NODES, facts.nodeName);
      const merged: Node = {
        ...existing,
        metadata: { ...existing.metadata, labels: { ...existing.metadata?.labels, ...wanted.metadata?.labels } },
        spec: { ...existing.spec, ...(existing.spec?.podCIDR ? {} : wanted.spec) },
      };
      this.node = await api.update(NODES, merged);
      this.lastStatus = existing.status;
      this.options.logger.info({ node: facts.nodeName }, 'the node was registered before: updated it');
    }
    this.options.recorder?.event(this.nodeRef(), 'Normal', 'Starting', 'Starting kubelet.');
    await this.postStatus(true);
    return this.node as Node;
  }

  start(): void {
    const leaseEveryMs = (this.options.leaseDurationSeconds * 1000) / 4;
    const loop = (everyMs: number, run: () => Promise<void>, what: string) => {
      const tick = () => {
        run().catch((err: unknown) => this.options.logger.warn({ err }, `${what} failed`));
      };
      tick();
      this.timers.push(setInterval(tick, everyMs));
    };
    loop(leaseEveryMs, () => this.renewLease(), 'renewing the node lease');
    loop(
      this.options.statusIntervalMs ?? DEFAULT_STATUS_INTERVAL_MS,
      async () => void (await this.postStatus(false)),
      'posting the node status',
    );
  }

  stop(): void {
    for (const timer of this.timers) clearInterval(timer);
    this.timers = [];
  }

  /** Posts the status when it changed (or the report interval passed, or `force`). */
  async postStatus(force: boolean): Promise<boolean> {
    const { api, facts } = this.options;
    const now = this.now();
    const status = nodeStatus(facts, await this.options.readiness(), this.lastStatus, rfc3339(now));
    const due = now.getTime() - this.lastPostAt >= (this.options.reportIntervalMs ?? DEFAULT_REPORT_INTERVAL_MS);
    if (!force && !due && !statusChanged(this.lastStatus, status)) return false;
    await api.patch<Node>(NODES, facts.nodeName, 'merge', { status }, { subresource: 'status' });
    const wasReady = this.lastStatus?.conditions?.find((c) => c.type === 'Ready')?.status;
    const ready = status.conditions?.find((c) => c.type === 'Ready')?.status;
    if (wasReady !== ready) {
      this.options.logger.info({ ready }, 'node readiness changed');
      const reason = ready === 'True' ? 'NodeReady' : 'NodeNotReady';
      this.options.recorder?.event(this.nodeRef(), 'Normal', reason, `Node ${facts.nodeName} status is now: ${reason}`);
    }
    this.lastStatus = status;
    this.lastPostAt = now.getTime();
    return true;
  }

  /** kube's node reference for events: the node's name stands in for its uid. */
  private nodeRef(): Node {
    const name = this.options.facts.nodeName;
    return { apiVersion: 'v1', kind: 'Node', metadata: { name, uid: name } };
  }

  async renewLease(): Promise<void> {
    const { api, facts } = this.options;
    const renewTime = formatMicroTime(this.now());
    let lease: Lease | undefined;
    try {
      lease = await api.get<Lease>(LEASES, facts.nodeName);
    } catch (err) {
      if (!isStatusError(err, 'NotFound')) throw err;
    }
    const spec = { holderIdentity: facts.nodeName, leaseDurationSeconds: this.options.leaseDurationSeconds, renewTime };
    if (!lease) {
      const ownerReferences = this.node?.metadata?.uid
        ? [{ apiVersion: 'v1', kind: 'Node', name: facts.nodeName, uid: this.node.metadata.uid }]
        : undefined;
      await api.create<Lease>(LEASES, {
        apiVersion: 'coordination.k8s.io/v1',
        kind: 'Lease',
        metadata: {
          name: facts.nodeName,
          namespace: NODE_LEASE_NAMESPACE,
          ...(ownerReferences ? { ownerReferences } : {}),
        },
        spec,
      });
      return;
    }
    await api.update<Lease>(LEASES, { ...lease, spec: { ...lease.spec, ...spec } });
  }
}

function rfc3339(date: Date): string {
  return date.toISOString().replace(/\.\d+Z$/, 'Z');
}
