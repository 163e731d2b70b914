/**
 * What the plugin needs from the host's networking, as one interface: the Linux
 * implementation drives iproute2, iptables and /proc; unit tests substitute a fake to
 * check the plugin's logic (rollback, idempotent Del, results) without touching the host.
 */
import type { Ipv4Cidr } from '@tkube/process';

/** The node's pod network as the flags describe it. */
export interface BridgeNetworkConfig {
  /** The bridge's name, at most 15 bytes ("tkube0"). */
  bridge: string;
  /** The node's block ("10.244.1.0/24"); its first host is the bridge's (the gateway's) address. */
  podCidr: Ipv4Cidr;
  /** The whole cluster's pod block: traffic to it keeps its source address. */
  clusterCidr: Ipv4Cidr;
  mtu: number;
  /** Hairpin mode on the bridge ports, so a pod reaches itself through a service address. */
  hairpin: boolean;
}

/** The node's pod network before its block is known (the plugin learns it from the runtime). */
export type BridgeSettings = Omit<BridgeNetworkConfig, 'podCidr'>;

export interface AttachedInterface {
  name: string;
  mac: string;
}

export interface ContainerInterfaceState {
  mac: string;
  up: boolean;
  ipv4Addresses: string[];
  /** Gateways of the namespace's IPv4 default routes through this interface. */
  defaultGateways: string[];
}

export interface VethRequest {
  hostName: string;
  containerIfname: string;
  containerMac: string;
  netns: string;
}

/** One thing the plugin made on the host, as a teardown reports it. */
export interface Removal {
  kind: 'veth' | 'jump' | 'chain' | 'bridge' | 'ipam-state';
  /** "veth1a2b3c4d", "filter FORWARD -> TKUBE-FWD-tkube0", "nat TKUBE-MASQ-tkube0", "tkube0", a directory. */
  name: string;
  /** 'already gone' when there was nothing to remove: the goal is reached all the same. */
  outcome: 'removed' | 'already gone';
}

/**
 * What the plugin made on the host, found by the bridge's name alone: all a teardown
 * needs, so it runs without the node's pod CIDR and after the serving process is gone.
 */
export interface BridgeTeardownHost {
  /** Deletes a host device (the veth's peer goes with it); false when there was none. */
  deleteLink(name: string): Promise<boolean>;
  /** Devices on the bridge (none when there is no bridge). */
  bridgePorts(): Promise<string[]>;
  /** The bridge's IPv4 addresses with their prefix ("10.244.1.1/24"); undefined when there is no bridge. */
  bridgeAddresses(): Promise<string[] | undefined>;
  /**
   * Removes every jump into the plugin's chains (however many copies, whatever their
   * source match), the chains with their rules, then the bridge. Missing pieces are
   * reported 'already gone'.
   */
  teardownHostNetwork(): Promise<Removal[]>;
}

export interface NetworkHost extends BridgeTeardownHost {
  /**
   * Sets up what every attachment relies on and is safe to repeat: forwarding on, the
   * bridge up with the gateway address, the plugin's iptables chains and their jumps.
   */
  ensureHostNetwork(): Promise<void>;
  /** Makes sure the bridge is up with its address (repairing it if not); answers it. */
  ensureBridge(): Promise<AttachedInterface>;
  /** Answers why the bridge is not ready for Adds, or undefined when it is. */
  bridgeProblem(): Promise<string | undefined>;

  createVethPair(request: VethRequest): Promise<void>;
  /** Puts the host end on the bridge, up, with hairpin mode when configured; answers it. */
  attachToBridge(hostName: string): Promise<AttachedInterface>;
  configureContainerInterface(netns: string, ifname: string, address: string, gateway: string): Promise<void>;
  /** The bridge a host device is attached to; undefined when there is no such device, '' when it is on none. */
  masterOf(name: string): Promise<string | undefined>;
  inspectContainerInterface(netns: string, ifname: string): Promise<ContainerInterfaceState | undefined>;

  /** MASQUERADE for traffic from `podIp` leaving the cluster CIDR, tagged with `comment`. */
  addMasquerade(podIp: string, comment: string): Promise<void>;
  /** Removes every MASQUERADE rule tagged with `comment`; answers how many. */
  removeMasquerade(comment: string): Promise<number>;
  /** The comments of the MASQUERADE rules in place. */
  masqueradeComments(): Promise<string[]>;
}
