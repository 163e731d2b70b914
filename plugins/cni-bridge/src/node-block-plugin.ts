/**
 * The plugin as served: a BridgePlugin for the node's pod block, made once the block is
 * known. The block is --pod-cidr when given; without it, the node IPAM's spec.podCIDR,
 * which the kubelet passes on every Add in the `ipRanges` capability. The first such Add
 * teaches the block, which is recorded in the state dir (pod-cidr-record.ts) so that a
 * restarted plugin knows it before any Add; every later Add must name the same block.
 *
 * Until the block is known nothing can have been added, so Del succeeds, Check fails,
 * Gc releases nothing, Status says it waits, and an Add without ipRanges is refused as
 * unavailable. The host network (bridge, gateway address, chains) depends on the block,
 * so it is set up when the block becomes known: at start for a given or recorded block,
 * at the first Add for a learnt one (and again at the next Add if that failed).
 */
import type {
  AddRequest,
  Attachment,
  CheckRequest,
  DelRequest,
  Result,
  StatusResponse,
  VersionResponse,
} from '@tkube/api/cni';
import { NetworkPluginError } from '@tkube/api/cni';
import type { Ipv4Cidr } from '@tkube/process';
import { formatCidr } from '@tkube/process';
import type { BridgePlugin, PluginLogger } from './bridge-plugin.js';
import { NEWEST_CNI_VERSION, negotiateCniVersion, SUPPORTED_CNI_VERSIONS } from './cni-version.js';
import { messageOf } from './error-info.js';
import { CommandError } from './host/command-runner.js';
import { refuseOtherBlock, requestedNodeBlock } from './ip-ranges.js';
import type { BridgeNetworkConfig, BridgeSettings, NetworkHost } from './network-host.js';
import type { NetworkPluginOperations } from './network-plugin.js';
import { podCidrRecordPath, readRecordedPodCidr, recordPodCidr } from './pod-cidr-record.js';
import { validateArgs, validateContainerId, validateInterfaceName, validateNetnsPath } from './validation.js';

/** Add before the block is known, without ipRanges to learn it from. */
export const BLOCK_UNKNOWN_MESSAGE =
  "the node's pod CIDR is not known yet: start with --pod-cidr or pass the ipRanges capability";

/** Status before the block is known. */
export const WAITING_FOR_BLOCK_MESSAGE =
  "waiting for the node's pod CIDR: the first Add's ipRanges capability brings it (or start with --pod-cidr)";

export interface NodeBlockPluginOptions {
  /** The node's network but its block: bridge, cluster block, MTU, hairpin. */
  settings: BridgeSettings;
  /** --pod-cidr: the block, fixed and never recorded. Undefined: learnt from the runtime and recorded. */
  podCidr: Ipv4Cidr | undefined;
  /** Where a learnt block is recorded: the bridge's IPAM directory (ipamDirOf). */
  recordDir: string;
  /** Makes the plugin and its host for the node's network (createBridgePlugin in the process). */
  createPlugin(network: BridgeNetworkConfig): { plugin: BridgePlugin; host: NetworkHost };
  logger: PluginLogger;
}

/** The network of a known block. */
interface ActiveNetwork {
  block: Ipv4Cidr;
  plugin: BridgePlugin;
  host: NetworkHost;
}

export class NodeBlockPlugin implements NetworkPluginOperations {
  private readonly options: NodeBlockPluginOptions;
  private active: ActiveNetwork | undefined;
  /** The first Add's learning, shared by the Adds that arrive while it runs. */
  private learning: Promise<ActiveNetwork> | undefined;
  private hostNetworkUp = false;
  private hostNetworkSetup: Promise<void> | undefined;

  private constructor(options: NodeBlockPluginOptions) {
    this.options = options;
  }

  /**
   * Makes the plugin from --pod-cidr or the recorded block, setting up the host network
   * for it (a failure fails the start, as the node cannot serve that block); with neither,
   * it starts waiting for the first Add's block.
   */
  static async open(options: NodeBlockPluginOptions): Promise<NodeBlockPlugin> {
    const plugin = new NodeBlockPlugin(options);
    const block = options.podCidr ?? (await readRecordedPodCidr(options.recordDir, options.settings.clusterCidr));
    if (block) {
      const active = plugin.activate(block);
      await plugin.setUpHostNetwork(active).catch((error: unknown) => {
        throw new Error(`failed to set up the host network: ${messageOf(error)}`, { cause: error });
      });
    }
    return plugin;
  }

  /** The node's block; undefined while it is not known. */
  get podCidr(): Ipv4Cidr | undefined {
    return this.active?.block;
  }

  async add(request: AddRequest): Promise<Result> {
    const requested = requestedNodeBlock(request.runtimeConfig, this.options.settings.clusterCidr);
    let active = this.active;
    if (!active) {
      // A malformed Add must not teach the node its block.
      validateAttachmentRequest(request, { netnsRequired: true });
      validateArgs(request.args);
      if (!requested) throw NetworkPluginError.notAvailable(BLOCK_UNKNOWN_MESSAGE);
      active = await this.learn(requested);
    }
    refuseOtherBlock(active.block, requested);
    try {
      await this.setUpHostNetwork(active);
    } catch (error) {
      throw NetworkPluginError.ioFailure(
        `failed to set up the host network for ${formatCidr(active.block)}: ${messageOf(error)}`,
        error instanceof CommandError ? error.stderr : '',
        error,
      );
    }
    return active.plugin.add(request);
  }

  /** The runtime's ipRanges are not compared: Del releases by container id and must succeed. */
  async del(request: DelRequest): Promise<void> {
    const active = await this.settled();
    if (active) return active.plugin.del(request);
    validateAttachmentRequest(request, { netnsRequired: false });
    validateArgs(request.args);
  }

  async check(request: CheckRequest): Promise<void> {
    const requested = requestedNodeBlock(request.runtimeConfig, this.options.settings.clusterCidr);
    const active = await this.settled();
    if (active) {
      refuseOtherBlock(active.block, requested);
      return active.plugin.check(request);
    }
    validateAttachmentRequest(request, { netnsRequired: true });
    throw NetworkPluginError.checkFailed(
      `container ${request.containerId} interface ${request.ifname} holds no address: ` +
        "the node's pod CIDR is not known yet, so nothing was added",
    );
  }

  version(): VersionResponse {
    return { cniVersion: NEWEST_CNI_VERSION, supportedVersions: [...SUPPORTED_CNI_VERSIONS] };
  }

  async status(): Promise<StatusResponse> {
    if (this.active) return this.active.plugin.status();
    // Ready: an Add that carries the node's block (ipRanges) is served. Were it not ready,
    // the kubelet would hold its node NotReady, no pod would come, and no Add ever bring it.
    return {
      ready: true,
      message: WAITING_FOR_BLOCK_MESSAGE,
      bridge: this.options.settings.bridge,
      podCidr: '',
      gateway: '',
      allocated: 0,
      capacity: 0,
    };
  }

  async gc(validAttachments: readonly Attachment[]): Promise<number> {
    const active = await this.settled();
    return active ? active.plugin.gc(validAttachments) : 0;
  }

  /** The active network once a learning in flight has ended (whichever way). */
  private async settled(): Promise<ActiveNetwork | undefined> {
    await this.learning?.catch(() => undefined);
    return this.active;
  }

  private learn(requested: Ipv4Cidr): Promise<ActiveNetwork> {
    this.learning ??= this.adopt(requested).finally(() => {
      this.learning = undefined;
    });
    return this.learning;
  }

  /** Records the block (or finds the one another process recorded first) and activates it. */
  private async adopt(requested: Ipv4Cidr): Promise<ActiveNetwork> {
    const { recordDir, settings, logger } = this.options;
    const block = await recordPodCidr(recordDir, requested, settings.clusterCidr);
    if (this.active) return this.active;
    const active = this.activate(block);
    logger.info(
      { podCidr: formatCidr(block), record: podCidrRecordPath(recordDir) },
      "learnt the node's pod CIDR from the runtime's ipRanges",
    );
    return active;
  }

  private activate(block: Ipv4Cidr): ActiveNetwork {
    const { plugin, host } = this.options.createPlugin({ ...this.options.settings, podCidr: block });
    this.active = { block, plugin, host };
    return this.active;
  }

  /** Once per process, shared by concurrent callers; retried by the next caller after a failure. */
  private async setUpHostNetwork(active: ActiveNetwork): Promise<void> {
    if (this.hostNetworkUp) return;
    this.hostNetworkSetup ??= active.host
      .ensureHostNetwork()
      .then(() => {
        this.hostNetworkUp = true;
      })
      .finally(() => {
        this.hostNetworkSetup = undefined;
      });
    await this.hostNetworkSetup;
  }
}

/** The checks BridgePlugin makes of an attachment's request, for the calls answered without it. */
function validateAttachmentRequest(
  request: { containerId: string; ifname: string; netns: string; cniVersion: string },
  options: { netnsRequired: boolean },
): void {
  validateContainerId(request.containerId);
  validateInterfaceName(request.ifname);
  if (options.netnsRequired || request.netns !== '') validateNetnsPath(request.netns);
  negotiateCniVersion(request.cniVersion);
}
