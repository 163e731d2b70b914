/**
 * An in-memory NetworkHost for unit tests: it keeps the devices, container interfaces and
 * masquerade rules the plugin asked for, and fails a chosen operation on demand, so tests
 * can check that a failed Add leaves nothing behind.
 */
import { forwardChain, masqueradeChain } from '../names.js';
import type { AttachedInterface, ContainerInterfaceState, NetworkHost, Removal, VethRequest } from '../network-host.js';

export type FakeHostOperation =
  | 'ensureHostNetwork'
  | 'ensureBridge'
  | 'createVethPair'
  | 'attachToBridge'
  | 'configureContainerInterface'
  | 'addMasquerade'
  | 'deleteLink'
  | 'teardownHostNetwork';

interface FakeVeth {
  master: string;
  mac: string;
  containerKey: string;
}

export class FakeNetworkHost implements NetworkHost {
  readonly veths = new Map<string, FakeVeth>();
  /** Container interfaces by "netns ifname". */
  readonly containerInterfaces = new Map<string, ContainerInterfaceState>();
  readonly masqueradeRules: Array<{ podIp: string; comment: string }> = [];
  /** The bridge with its address and the plugin's chains exist (from the first ensure on). */
  hostNetworkUp = false;
  private readonly failures = new Set<FakeHostOperation>();
  private macCounter = 0;

  constructor(
    private readonly bridge = 'tkube0',
    private readonly bridgeAddress = '10.244.1.1/24',
  ) {}

  /** The next call of `operation` fails. */
  failNext(operation: FakeHostOperation): void {
    this.failures.add(operation);
  }

  async ensureHostNetwork(): Promise<void> {
    this.maybeFail('ensureHostNetwork');
    this.hostNetworkUp = true;
  }

  async ensureBridge(): Promise<AttachedInterface> {
    this.maybeFail('ensureBridge');
    this.hostNetworkUp = true;
    return { name: this.bridge, mac: '02:00:00:00:00:01' };
  }

  async bridgeProblem(): Promise<string | undefined> {
    return undefined;
  }

  async createVethPair(request: VethRequest): Promise<void> {
    this.maybeFail('createVethPair');
    const containerKey = `${request.netns} ${request.containerIfname}`;
    if (this.veths.has(request.hostName) || this.containerInterfaces.has(containerKey)) {
      throw new Error('RTNETLINK answers: File exists');
    }
    this.veths.set(request.hostName, { master: '', mac: this.nextMac(), containerKey });
    this.containerInterfaces.set(containerKey, {
      mac: request.containerMac,
      up: false,
      ipv4Addresses: [],
      defaultGateways: [],
    });
  }

  async attachToBridge(hostName: string): Promise<AttachedInterface> {
    this.maybeFail('attachToBridge');
    const veth = this.veths.get(hostName);
    if (!veth) throw new Error(`Cannot find device "${hostName}"`);
    veth.master = this.bridge;
    return { name: hostName, mac: veth.mac };
  }

  async configureContainerInterface(netns: string, ifname: string, address: string, gateway: string): Promise<void> {
    this.maybeFail('configureContainerInterface');
    const inside = this.containerInterfaces.get(`${netns} ${ifname}`);
    if (!inside) throw new Error(`Cannot find device "${ifname}"`);
    inside.up = true;
    inside.ipv4Addresses.push(address);
    inside.defaultGateways.push(gateway);
  }

  async deleteLink(name: string): Promise<boolean> {
    this.maybeFail('deleteLink');
    const veth = this.veths.get(name);
    if (!veth) return false;
    this.veths.delete(name);
    this.containerInterfaces.delete(veth.containerKey);
    return true;
  }

  async masterOf(name: string): Promise<string | undefined> {
    return this.veths.get(name)?.master;
  }

  async bridgePorts(): Promise<string[]> {
    return [...this.veths.entries()].filter(([, v]) => v.master === this.bridge).map(([name]) => name);
  }

  async inspectContainerInterface(netns: string, ifname: string): Promise<ContainerInterfaceState | undefined> {
    return this.containerInterfaces.get(`${netns} ${ifname}`);
  }

  async addMasquerade(podIp: string, comment: string): Promise<void> {
    this.maybeFail('addMasquerade');
    this.masqueradeRules.push({ podIp, comment });
  }

  async removeMasquerade(comment: string): Promise<number> {
    const before = this.masqueradeRules.length;
    const kept = this.masqueradeRules.filter((rule) => rule.comment !== comment);
    this.masqueradeRules.splice(0, this.masqueradeRules.length, ...kept);
    return before - kept.length;
  }

  async masqueradeComments(): Promise<string[]> {
    return this.masqueradeRules.map((rule) => rule.comment);
  }

  async bridgeAddresses(): Promise<string[] | undefined> {
    return this.hostNetworkUp ? [this.bridgeAddress] : undefined;
  }

  /** As on Linux: the chains go with their rules, and deleting the bridge detaches its ports without deleting them. */
  async teardownHostNetwork(): Promise<Removal[]> {
    this.maybeFail('teardownHostNetwork');
    const outcome = this.hostNetworkUp ? 'removed' : 'already gone';
    const forward = forwardChain(this.bridge);
    const masquerade = masqueradeChain(this.bridge);
    this.hostNetworkUp = false;
    this.masqueradeRules.length = 0;
    for (const veth of this.veths.values()) if (veth.master === this.bridge) veth.master = '';
    return [
      { kind: 'jump', name: `filter FORWARD -> ${forward}`, outcome },
      { kind: 'chain', name: `filter ${forward}`, outcome },
      { kind: 'jump', name: `nat POSTROUTING -> ${masquerade}`, outcome },
      { kind: 'chain', name: `nat ${masquerade}`, outcome },
      { kind: 'bridge', name: this.bridge, outcome },
    ];
  }

  /** The namespace disappeared (its last process exited): its side of every veth goes, and so do the pairs. */
  removeNetns(netns: string): void {
    for (const [name, veth] of this.veths) {
      if (veth.containerKey.startsWith(`${netns} `)) {
        this.veths.delete(name);
        this.containerInterfaces.delete(veth.containerKey);
      }
    }
  }

  private maybeFail(operation: FakeHostOperation): void {
    if (this.failures.delete(operation)) throw new Error(`injected failure of ${operation}`);
  }

  private nextMac(): string {
    this.macCounter++;
    return `02:00:00:00:01:${this.macCounter.toString(16).padStart(2, '0')}`;
  }
}
