/**
 * The NetworkHost on Linux, in the manner of the CNI bridge plugin: a bridge holding the
 * node's gateway address, a veth pair per attachment (host end on the bridge, peer inside
 * the pod's namespace), MASQUERADE per attachment in a nat chain of the plugin's own, and
 * ACCEPT for the bridge's traffic in a filter chain of its own, ahead of a FORWARD policy
 * of DROP (Docker sets one).
 */
import { readFile, writeFile } from 'node:fs/promises';
import { addressInCidr, formatCidr, gatewayOf } from '@tkube/process';
import { forwardChain, jumpComment, masqueradeChain } from '../names.js';
import type {
  AttachedInterface,
  BridgeNetworkConfig,
  ContainerInterfaceState,
  NetworkHost,
  Removal,
  VethRequest,
} from '../network-host.js';
import type { CommandRunner } from './command-runner.js';
import { CommandError } from './command-runner.js';
import { IpRoute2 } from './iproute2.js';
import { Iptables } from './iptables.js';
import { commentOf } from './iptables-rule.js';
import { LinuxBridgeTeardownHost } from './linux-bridge-teardown-host.js';

const IP_FORWARD = '/proc/sys/net/ipv4/ip_forward';

export class LinuxNetworkHost implements NetworkHost {
  private readonly ip: IpRoute2;
  private readonly iptables: Iptables;
  private readonly byBridgeName: LinuxBridgeTeardownHost;
  private readonly gatewayAddress: string;
  /** One bridge check at a time: concurrent Adds share the one in flight. */
  private bridgeCheck: Promise<AttachedInterface> | undefined;

  constructor(
    private readonly config: BridgeNetworkConfig,
    runner: CommandRunner,
  ) {
    this.ip = new IpRoute2(runner);
    this.iptables = new Iptables(runner);
    this.byBridgeName = new LinuxBridgeTeardownHost(config.bridge, this.ip, this.iptables);
    this.gatewayAddress = addressInCidr(gatewayOf(config.podCidr), config.podCidr);
  }

  async ensureHostNetwork(): Promise<void> {
    await enableIpForwarding();
    await this.ensureBridge();
    await this.ensureChains();
  }

  ensureBridge(): Promise<AttachedInterface> {
    this.bridgeCheck ??= this.checkBridge().finally(() => {
      this.bridgeCheck = undefined;
    });
    return this.bridgeCheck;
  }

  async bridgeProblem(): Promise<string | undefined> {
    const bridge = await this.ip.link(this.config.bridge);
    if (!bridge) return `bridge ${this.config.bridge} does not exist`;
    if (bridge.kind !== 'bridge') return `device ${this.config.bridge} is a ${bridge.kind || 'device'}, not a bridge`;
    if (!bridge.up) return `bridge ${this.config.bridge} is down`;
    if (!bridge.ipv4Addresses.includes(this.gatewayAddress)) {
      return `bridge ${this.config.bridge} lacks the gateway address ${this.gatewayAddress}`;
    }
    return undefined;
  }

  async createVethPair(request: VethRequest): Promise<void> {
    await this.ip.createVethPair({ ...request, mtu: this.config.mtu });
  }

  async attachToBridge(hostName: string): Promise<AttachedInterface> {
    await this.ip.attachToBridge(hostName, this.config.bridge);
    if (this.config.hairpin) {
      // The sysfs knob is what `bridge link set hairpin on` sets, without another process.
      await writeFile(`/sys/class/net/${hostName}/brport/hairpin_mode`, '1');
    }
    const mac = (await readFile(`/sys/class/net/${hostName}/address`, 'utf8')).trim();
    return { name: hostName, mac };
  }

  async configureContainerInterface(netns: string, ifname: string, address: string, gateway: string): Promise<void> {
    await this.ip.configureContainerInterface(netns, ifname, address, gateway);
  }

  deleteLink(name: string): Promise<boolean> {
    return this.byBridgeName.deleteLink(name);
  }

  async masterOf(name: string): Promise<string | undefined> {
    const link = await this.ip.link(name);
    return link ? (link.master ?? '') : undefined;
  }

  bridgePorts(): Promise<string[]> {
    return this.byBridgeName.bridgePorts();
  }

  bridgeAddresses(): Promise<string[] | undefined> {
    return this.byBridgeName.bridgeAddresses();
  }

  async inspectContainerInterface(netns: string, ifname: string): Promise<ContainerInterfaceState | undefined> {
    const link = await this.ip.linkInNetns(netns, ifname);
    if (!link) return undefined;
    const routes = await this.ip.defaultRoutesInNetns(netns);
    return {
      mac: link.mac,
      up: link.up,
      ipv4Addresses: link.ipv4Addresses,
      defaultGateways: routes.filter((r) => r.dev === ifname && r.gateway).map((r) => r.gateway ?? ''),
    };
  }

  async addMasquerade(podIp: string, comment: string): Promise<void> {
    const rule = this.masqueradeRule(podIp, comment);
    try {
      await this.iptables.appendRule('nat', masqueradeChain(this.config.bridge), rule);
    } catch (error) {
      // The chain went away (a firewall reload, an iptables flush): put it back once.
      if (!(error instanceof CommandError)) throw error;
      await this.ensureChains();
      await this.iptables.appendRule('nat', masqueradeChain(this.config.bridge), rule);
    }
  }

  removeMasquerade(comment: string): Promise<number> {
    return this.iptables.deleteRulesWhere(
      'nat',
      masqueradeChain(this.config.bridge),
      (rule) => commentOf(rule) === comment,
    );
  }

  async masqueradeComments(): Promise<string[]> {
    const rules = await this.iptables.listRules('nat', masqueradeChain(this.config.bridge));
    return rules.map(commentOf).filter((comment): comment is string => comment !== undefined);
  }

  teardownHostNetwork(): Promise<Removal[]> {
    return this.byBridgeName.teardownHostNetwork();
  }

  private async checkBridge(): Promise<AttachedInterface> {
    const { bridge, mtu } = this.config;
    let link = await this.ip.link(bridge);
    if (!link) {
      await ignoreExists(this.ip.createBridge(bridge, mtu));
      link = await this.ip.link(bridge);
      if (!link) throw new Error(`bridge ${bridge} vanished right after it was created`);
    }
    if (link.kind !== 'bridge')
      throw new Error(`device ${bridge} exists and is not a bridge (${link.kind || 'plain device'})`);
    if (!link.ipv4Addresses.includes(this.gatewayAddress))
      await ignoreExists(this.ip.addAddress(bridge, this.gatewayAddress));
    if (!link.up) await this.ip.setUp(bridge);
    // As the CNI bridge plugin's promiscMode: hairpinned frames come back to the bridge
    // with its own MAC as destination (a pod reaching itself through a service address).
    if (this.config.hairpin && !link.promiscuous) await this.ip.setPromiscuous(bridge);
    return { name: bridge, mac: link.mac };
  }

  private async ensureChains(): Promise<void> {
    const { bridge } = this.config;
    const forward = forwardChain(bridge);
    await this.iptables.ensureChain('filter', forward);
    await this.iptables.ensureRule('filter', forward, ['-i', bridge, '-j', 'ACCEPT'], 'last');
    await this.iptables.ensureRule('filter', forward, ['-o', bridge, '-j', 'ACCEPT'], 'last');
    // First in FORWARD, so a DROP policy or Docker's chains never see the pods' traffic.
    await this.iptables.ensureRule('filter', 'FORWARD', this.forwardJump(), 'first');
    await this.iptables.ensureChain('nat', masqueradeChain(bridge));
    await this.iptables.ensureRule('nat', 'POSTROUTING', this.masqueradeJump(), 'last');
  }

  private forwardJump(): string[] {
    return ['-m', 'comment', '--comment', jumpComment(this.config.bridge), '-j', forwardChain(this.config.bridge)];
  }

  private masqueradeJump(): string[] {
    const { bridge, podCidr } = this.config;
    return [
      '-s',
      formatCidr(podCidr),
      '-m',
      'comment',
      '--comment',
      jumpComment(bridge),
      '-j',
      masqueradeChain(bridge),
    ];
  }

  private masqueradeRule(podIp: string, comment: string): string[] {
    return [
      '-s',
      `${podIp}/32`,
      '!',
      '-d',
      formatCidr(this.config.clusterCidr),
      '-m',
      'comment',
      '--comment',
      comment,
      '-j',
      'MASQUERADE',
    ];
  }
}

async function enableIpForwarding(): Promise<void> {
  const current = await readFile(IP_FORWARD, 'utf8').catch(() => '');
  if (current.trim() !== '1') await writeFile(IP_FORWARD, '1');
}

async function ignoreExists(operation: Promise<void>): Promise<void> {
  try {
    await operation;
  } catch (error) {
    if (!(error instanceof CommandError && /File exists/i.test(error.stderr))) throw error;
  }
}
