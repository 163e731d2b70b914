/**
 * The `ip` (iproute2) commands the plugin runs, with their JSON output (`ip -j`) narrowed
 * to the few fields it reads. Commands inside a container's network namespace run through
 * `nsenter --net=<path>`, because `ip -n` only takes names under /var/run/netns and
 * runtimes hand out paths such as /proc/<pid>/ns/net.
 */
import type { CommandRunner } from './command-runner.js';
import { CommandError } from './command-runner.js';

export interface LinkState {
  name: string;
  /** "bridge", "veth", ... ; empty for plain devices. */
  kind: string;
  mac: string;
  mtu: number;
  up: boolean;
  promiscuous: boolean;
  /** The bridge the device is a port of, if any. */
  master: string | undefined;
  /** IPv4 addresses with their prefix length: "10.244.1.1/24". */
  ipv4Addresses: string[];
}

export interface RouteState {
  dst: string;
  gateway: string | undefined;
  dev: string | undefined;
}

export interface VethPairSpec {
  hostName: string;
  /** Created directly inside the namespace under its final name, so nothing is renamed. */
  containerIfname: string;
  containerMac: string;
  netns: string;
  mtu: number;
}

export class IpRoute2 {
  constructor(
    private readonly runner: CommandRunner,
    private readonly ipBinary = 'ip',
    private readonly nsenterBinary = 'nsenter',
  ) {}

  /** The device's state, or undefined when there is no such device. */
  async link(name: string): Promise<LinkState | undefined> {
    return this.linkFrom(this.ip(['-j', '-d', 'addr', 'show', 'dev', name]));
  }

  async linkInNetns(netns: string, name: string): Promise<LinkState | undefined> {
    return this.linkFrom(this.inNetns(netns, ['-j', '-d', 'addr', 'show', 'dev', name]));
  }

  /** The devices attached to the bridge. */
  async portsOf(bridge: string): Promise<string[]> {
    const output = await this.ip(['-j', 'link', 'show', 'master', bridge]);
    return recordsOf(output).map((link) => stringField(link, 'ifname'));
  }

  async defaultRoutesInNetns(netns: string): Promise<RouteState[]> {
    const output = await this.inNetns(netns, ['-j', '-4', 'route', 'show', 'default']);
    return recordsOf(output).map((route) => ({
      dst: stringField(route, 'dst'),
      gateway: optionalString(route, 'gateway'),
      dev: optionalString(route, 'dev'),
    }));
  }

  async createBridge(name: string, mtu: number): Promise<void> {
    await this.ip(['link', 'add', 'name', name, 'mtu', String(mtu), 'type', 'bridge']);
  }

  async addAddress(device: string, address: string): Promise<void> {
    await this.ip(['addr', 'add', address, 'dev', device]);
  }

  async setUp(device: string): Promise<void> {
    await this.ip(['link', 'set', 'dev', device, 'up']);
  }

  async setPromiscuous(device: string): Promise<void> {
    await this.ip(['link', 'set', 'dev', device, 'promisc', 'on']);
  }

  async createVethPair(spec: VethPairSpec): Promise<void> {
    const mtu = String(spec.mtu);
    await this.ip([
      'link',
      'add',
      spec.hostName,
      'mtu',
      mtu,
      'type',
      'veth',
      'peer',
      'name',
      spec.containerIfname,
      'mtu',
      mtu,
      'address',
      spec.containerMac,
      'netns',
      spec.netns,
    ]);
  }

  async attachToBridge(device: string, bridge: string): Promise<void> {
    await this.ip(['link', 'set', 'dev', device, 'master', bridge, 'up']);
  }

  /** Deletes the device; answers false when it did not exist. */
  async deleteLink(name: string): Promise<boolean> {
    try {
      await this.ip(['link', 'del', 'dev', name]);
      return true;
    } catch (error) {
      if (isMissingDevice(error)) return false;
      throw error;
    }
  }

  /** Gives the container interface its address and default route, and brings it and lo up, in one `ip -batch`. */
  async configureContainerInterface(netns: string, ifname: string, address: string, gateway: string): Promise<void> {
    const batch = [
      'link set dev lo up',
      `link set dev ${ifname} up`,
      `addr add ${address} dev ${ifname}`,
      `route add default via ${gateway} dev ${ifname}`,
    ];
    await this.inNetns(netns, ['-batch', '-'], `${batch.join('\n')}\n`);
  }

  private async linkFrom(output: Promise<string>): Promise<LinkState | undefined> {
    let text: string;
    try {
      text = await output;
    } catch (error) {
      if (isMissingDevice(error)) return undefined;
      throw error;
    }
    const [link] = recordsOf(text);
    return link ? linkStateOf(link) : undefined;
  }

  private ip(args: readonly string[]): Promise<string> {
    return this.runner.run(this.ipBinary, args);
  }

  private inNetns(netns: string, ipArgs: readonly string[], input?: string): Promise<string> {
    return this.runner.run(this.nsenterBinary, [`--net=${netns}`, '--', this.ipBinary, ...ipArgs], { input });
  }
}

function isMissingDevice(error: unknown): boolean {
  return error instanceof CommandError && /does not exist|Cannot find device|No such device/i.test(error.stderr);
}

type JsonRecord = Record<string, unknown>;

function recordsOf(output: string): JsonRecord[] {
  if (output.trim() === '') return [];
  const parsed: unknown = JSON.parse(output);
  return Array.isArray(parsed)
    ? parsed.filter((item): item is JsonRecord => typeof item === 'object' && item !== null)
    : [];
}

function stringField(record: JsonRecord, key: string): string {
  const value = record[key];
  return typeof value === 'string' ? value : '';
}

function optionalString(record: JsonRecord, key: string): string | undefined {
  const value = record[key];
  return typeof value === 'string' ? value : undefined;
}

function linkStateOf(link: JsonRecord): LinkState {
  const flags = Array.isArray(link.flags) ? link.flags.filter((f): f is string => typeof f === 'string') : [];
  const linkinfo = typeof link.linkinfo === 'object' && link.linkinfo !== null ? (link.linkinfo as JsonRecord) : {};
  const addresses = Array.isArray(link.addr_info) ? link.addr_info : [];
  const ipv4Addresses: string[] = [];
  for (const address of addresses) {
    if (typeof address !== 'object' || address === null) continue;
    const record = address as JsonRecord;
    if (record.family === 'inet' && typeof record.local === 'string' && typeof record.prefixlen === 'number') {
      ipv4Addresses.push(`${record.local}/${record.prefixlen}`);
    }
  }
  return {
    name: stringField(link, 'ifname'),
    kind: stringField(linkinfo, 'info_kind'),
    mac: stringField(link, 'address'),
    mtu: typeof link.mtu === 'number' ? link.mtu : 0,
    up: flags.includes('UP'),
    promiscuous: flags.includes('PROMISC'),
    master: optionalString(link, 'master'),
    ipv4Addresses,
  };
}
