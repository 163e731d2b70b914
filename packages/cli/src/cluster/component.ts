/**
 * A component is one background process of the cluster: how to start it, where it
 * serves, and how to tell it is ready. `up` starts them in order, `down` stops them in
 * reverse, `status` reports each. The scheduler, controllers and nodes join this list.
 */
import type { ClusterNetwork } from './cluster-network.js';
import type { Ports } from './cluster-settings.js';
import type { DataDir } from './data-dir.js';

export interface ClusterContext {
  dir: DataDir;
  ports: Ports;
  /** The controller-manager's --pod-eviction-timeout, when the cluster was given one. */
  podEvictionTimeout?: string;
  /** The pods' and Services' ranges and the cluster DNS (up sets it; only `command` reads it). */
  network?: ClusterNetwork;
}

export interface Component {
  /** File names: logs/<name>.log, run/<name>.pid. */
  name: string;
  /** How messages name it: "NATS (JetStream)", "the API server". */
  displayName: string;
  /** The program and its arguments (argv[0] is `file`). */
  command(context: ClusterContext): Promise<{ file: string; args: string[] }>;
  /** Where it serves, for status and messages. */
  address(context: ClusterContext): string;
  /** The ports it binds (checked free before it starts). */
  ports(context: ClusterContext): Record<string, number>;
  /** One readiness check. */
  probe(context: ClusterContext): Promise<boolean>;
  readyTimeoutMs: number;
  /** How long SIGTERM may take before SIGKILL. */
  stopTimeoutMs: number;
}
