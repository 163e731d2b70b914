/**
 * The network plugin's operations with the CNI specification's semantics, over a
 * NetworkHost and host-local IPAM. Knows nothing of the cluster: an attachment is a
 * container id, an interface name and a network namespace path.
 *
 * - Add claims an address, creates the veth pair, configures the pod's side, adds the
 *   MASQUERADE rule, and answers the CNI result. Any failure undoes every step done.
 * - Del removes the rule, the veth pair and the address, finding them by container id and
 *   interface name alone (the names are derived, the addresses on disk), so it works
 *   after a restart and when the namespace is gone; doing it twice is fine.
 * - Check verifies that the attachment is as Add left it.
 * - Gc releases what no listed attachment holds.
 */
import { stat } from 'node:fs/promises';
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
import { formatCidr, formatIpv4, gatewayOf } from '@tkube/process';
import { NEWEST_CNI_VERSION, negotiateCniVersion, SUPPORTED_CNI_VERSIONS } from './cni-version.js';
import { errnoOf } from './error-info.js';
import type { HostLocalIpam } from './ipam/host-local-ipam.js';
import { KeyedLock } from './keyed-lock.js';
import { attachmentComment, attachmentOfComment, hostVethName, randomMac } from './names.js';
import type { BridgeNetworkConfig, NetworkHost } from './network-host.js';
import { buildAddResult, containerAddressOf } from './result.js';
import { Rollback } from './rollback.js';
import { deleteStrayVeths } from './stray-veths.js';
import { validateArgs, validateContainerId, validateInterfaceName, validateNetnsPath } from './validation.js';

/** The slice of a pino logger the plugin uses. */
export interface PluginLogger {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
}

export interface BridgePluginOptions {
  network: BridgeNetworkConfig;
  ipam: HostLocalIpam;
  host: NetworkHost;
  logger: PluginLogger;
}

export class BridgePlugin {
  private readonly network: BridgeNetworkConfig;
  private readonly ipam: HostLocalIpam;
  private readonly host: NetworkHost;
  private readonly logger: PluginLogger;
  private readonly gateway: string;
  private readonly attachments = new KeyedLock();

  constructor(options: BridgePluginOptions) {
    this.network = options.network;
    this.ipam = options.ipam;
    this.host = options.host;
    this.logger = options.logger;
    this.gateway = formatIpv4(gatewayOf(options.network.podCidr));
  }

  async add(request: AddRequest): Promise<Result> {
    validateAttachment(request.containerId, request.ifname);
    validateNetnsPath(request.netns);
    validateArgs(request.args);
    const cniVersion = negotiateCniVersion(request.cniVersion);
    return this.attachments.run(keyOf(request), () => this.addAttachment(request, cniVersion));
  }

  async del(request: DelRequest): Promise<void> {
    validateAttachment(request.containerId, request.ifname);
    // Del must work without a namespace; a given one is still checked, never trusted.
    if (request.netns !== '') validateNetnsPath(request.netns);
    validateArgs(request.args);
    negotiateCniVersion(request.cniVersion);
    return this.attachments.run(keyOf(request), () => this.deleteAttachment(request.containerId, request.ifname));
  }

  async check(request: CheckRequest): Promise<void> {
    validateAttachment(request.containerId, request.ifname);
    validateNetnsPath(request.netns);
    negotiateCniVersion(request.cniVersion);
    return this.attachments.run(keyOf(request), () => this.checkAttachment(request));
  }

  version(): VersionResponse {
    return { cniVersion: NEWEST_CNI_VERSION, supportedVersions: [...SUPPORTED_CNI_VERSIONS] };
  }

  async status(): Promise<StatusResponse> {
    const problem = await this.host.bridgeProblem();
    const allocations = await this.ipam.list();
    return {
      ready: problem === undefined,
      message: problem ?? '',
      bridge: this.network.bridge,
      podCidr: formatCidr(this.network.podCidr),
      gateway: this.gateway,
      allocated: allocations.length,
      capacity: this.ipam.capacity,
    };
  }

  /**
   * Releases every attachment not listed as valid: its address, its veth and its rule.
   * Attachments with an operation in flight are left alone, since the runtime may not
   * know of them yet. Answers how many attachments were released.
   */
  async gc(validAttachments: readonly Attachment[]): Promise<number> {
    const valid = new Set(validAttachments.map(keyOf));
    const keep = (containerId: string, ifname: string) => {
      const key = keyOf({ containerId, ifname });
      return valid.has(key) || this.attachments.isBusy(key);
    };
    let released = 0;
    for (const allocation of await this.ipam.list()) {
      if (keep(allocation.containerId, allocation.ifname)) continue;
      await this.attachments.run(keyOf(allocation), () =>
        this.deleteAttachment(allocation.containerId, allocation.ifname),
      );
      released++;
    }
    for (const comment of await this.host.masqueradeComments()) {
      const owner = attachmentOfComment(comment);
      if (owner && !keep(owner.containerId, owner.ifname)) await this.host.removeMasquerade(comment);
    }
    const expectedVeths = new Set(
      [...valid, ...this.attachments.busyKeys()].map((key) => hostVethName(...splitKey(key))),
    );
    for (const { containerId, ifname } of await this.ipam.list()) expectedVeths.add(hostVethName(containerId, ifname));
    for (const veth of await deleteStrayVeths(this.host, expectedVeths)) {
      this.logger.info({ veth }, 'deleted a veth no attachment holds');
    }
    return released;
  }

  private async addAttachment(request: AddRequest, cniVersion: string): Promise<Result> {
    const { containerId, ifname, netns } = request;
    if (!(await pathExists(netns))) {
      throw NetworkPluginError.invalidArguments(`network namespace ${netns} does not exist`);
    }
    const bridge = await this.host.ensureBridge();
    const rollback = new Rollback();
    try {
      const address = await this.ipam.allocate(containerId, ifname);
      rollback.add('release the address', () => this.ipam.release(containerId, ifname));

      const hostName = hostVethName(containerId, ifname);
      const containerMac = randomMac();
      await this.host.createVethPair({ hostName, containerIfname: ifname, containerMac, netns });
      rollback.add('delete the veth pair', () => this.host.deleteLink(hostName));

      const hostVeth = await this.host.attachToBridge(hostName);
      const cidrAddress = `${address}/${this.network.podCidr.prefixLength}`;
      await this.host.configureContainerInterface(netns, ifname, cidrAddress, this.gateway);

      const comment = attachmentComment(containerId, ifname);
      await this.host.addMasquerade(address, comment);
      rollback.add('remove the masquerade rule', () => this.host.removeMasquerade(comment));

      this.logger.info({ containerId, ifname, netns, address, veth: hostName, args: request.args }, 'attached');
      return buildAddResult({
        cniVersion,
        bridge,
        hostVeth,
        container: { name: ifname, mac: containerMac, netns },
        address: cidrAddress,
        gateway: this.gateway,
        mtu: this.network.mtu,
      });
    } catch (error) {
      await rollback.run(this.logger);
      throw error;
    }
  }

  private async deleteAttachment(containerId: string, ifname: string): Promise<void> {
    // Address last: it must not go to another pod while this one's interface still has it.
    const rules = await this.host.removeMasquerade(attachmentComment(containerId, ifname));
    const veth = hostVethName(containerId, ifname);
    const deletedVeth = await this.host.deleteLink(veth);
    const released = await this.ipam.release(containerId, ifname);
    if (rules > 0 || deletedVeth || released.length > 0) {
      this.logger.info({ containerId, ifname, released, veth: deletedVeth ? veth : undefined, rules }, 'detached');
    }
  }

  private async checkAttachment(request: CheckRequest): Promise<void> {
    const { containerId, ifname, netns } = request;
    const address = await this.ipam.find(containerId, ifname);
    if (!address) throw NetworkPluginError.checkFailed(`container ${containerId} interface ${ifname} holds no address`);
    const cidrAddress = `${address}/${this.network.podCidr.prefixLength}`;
    const previous = request.prevResult && containerAddressOf(request.prevResult);
    if (previous && previous !== cidrAddress) {
      throw NetworkPluginError.checkFailed(`the previous result has ${previous}, the attachment holds ${cidrAddress}`);
    }
    if (!(await pathExists(netns))) throw NetworkPluginError.checkFailed(`network namespace ${netns} does not exist`);
    const inside = await this.host.inspectContainerInterface(netns, ifname);
    if (!inside) throw NetworkPluginError.checkFailed(`interface ${ifname} does not exist in ${netns}`);
    if (!inside.up) throw NetworkPluginError.checkFailed(`interface ${ifname} in ${netns} is down`);
    if (!inside.ipv4Addresses.includes(cidrAddress)) {
      throw NetworkPluginError.checkFailed(`interface ${ifname} in ${netns} lacks the address ${cidrAddress}`);
    }
    if (!inside.defaultGateways.includes(this.gateway)) {
      throw NetworkPluginError.checkFailed(`${netns} has no default route via ${this.gateway} on ${ifname}`);
    }
    const veth = hostVethName(containerId, ifname);
    const master = await this.host.masterOf(veth);
    if (master !== this.network.bridge) {
      throw NetworkPluginError.checkFailed(
        master === undefined
          ? `host interface ${veth} does not exist`
          : `host interface ${veth} is not on ${this.network.bridge}`,
      );
    }
    if (!(await this.host.masqueradeComments()).includes(attachmentComment(containerId, ifname))) {
      throw NetworkPluginError.checkFailed(`the masquerade rule of container ${containerId} is missing`);
    }
  }
}

function validateAttachment(containerId: string, ifname: string): void {
  validateContainerId(containerId);
  validateInterfaceName(ifname);
}

function keyOf(attachment: { containerId: string; ifname: string }): string {
  return `${attachment.containerId}\n${attachment.ifname}`;
}

function splitKey(key: string): [string, string] {
  const newline = key.indexOf('\n');
  return [key.slice(0, newline), key.slice(newline + 1)];
}

async function pathExists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch (error) {
    if (errnoOf(error) === 'ENOENT') return false;
    throw error;
  }
}
