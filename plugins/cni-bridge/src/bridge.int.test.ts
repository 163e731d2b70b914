/**
 * The real plugin process on a real host: network namespaces, a bridge, veth pairs and
 * iptables rules, driven over gRPC with the generated client. Everything lives under
 * names of the test's own (bridges tkt<random>, namespaces tkube-test-<random>, pod CIDRs
 * 10.244.250.0/24 and, learnt from ipRanges, 10.244.251.0/24) and is removed afterwards,
 * also on failure. Traffic goes only to
 * addresses inside those namespaces and to the test bridge's own address.
 */
import { access, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CniClient, Result } from '@tkube/api/cni';
import { CniErrorCode } from '@tkube/api/cni';
import { parseCidr } from '@tkube/process';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ipamDirOf } from './create-plugin.js';
import { execFileRunner } from './host/command-runner.js';
import { LinuxNetworkHost } from './host/linux-network-host.js';
import { attachmentComment, forwardChain, hostVethName, masqueradeChain } from './names.js';
import type { TestNetns } from './testing/netns.js';
import {
  createNetns,
  deleteNetns,
  randomSuffix,
  run,
  startTcpServerInNetns,
  tcpRequestFromNetns,
} from './testing/netns.js';
import { buildPlugin, PluginProcess, runPluginCommand } from './testing/plugin-process.js';

const POD_CIDR = '10.244.250.0/24';
const CLUSTER_CIDR = '10.244.0.0/16';
const GATEWAY = '10.244.250.1';
/** The block a plugin started without --pod-cidr learns from an Add's ipRanges. */
const LEARNT_CIDR = '10.244.251.0/24';
const LEARNT_GATEWAY = '10.244.251.1';
const PORT = 18080;

const bridge = `tkt${randomSuffix(3)}`;
let workDir: string;
let stateDir: string;
let socketPath: string;
let plugin: PluginProcess;
let client: CniClient;
const namespaces: TestNetns[] = [];

async function newNetns(): Promise<TestNetns> {
  const netns = await createNetns();
  namespaces.push(netns);
  return netns;
}

function podIpOf(result: Result): string {
  const address = result.ips[0]?.address ?? '';
  return address.slice(0, address.indexOf('/'));
}

async function masqueradeRules(): Promise<string> {
  return run('iptables', ['-w', '5', '-t', 'nat', '-S', masqueradeChain(bridge)]);
}

async function linkExists(name: string): Promise<boolean> {
  return access(`/sys/class/net/${name}`).then(
    () => true,
    () => false,
  );
}

async function allocatedAddresses(dir = ipamDirOf(stateDir, bridge)): Promise<string[]> {
  const names = await readdir(dir).catch(() => []);
  return names.filter((name) => /^\d+\.\d+\.\d+\.\d+$/.test(name)).sort();
}

beforeAll(async () => {
  await buildPlugin();
  workDir = await mkdtemp(join(tmpdir(), 'tkube-cni-int-'));
  stateDir = join(workDir, 'state');
  socketPath = join(workDir, 'run', 'cni-bridge.sock');
  plugin = new PluginProcess({ socketPath, bridge, podCidr: POD_CIDR, clusterCidr: CLUSTER_CIDR, stateDir });
  client = await plugin.start();
}, 240_000);

afterEach(async () => {
  // Each test's attachments go with their namespaces; Del is the plugin's own cleanup.
  for (const netns of namespaces.splice(0)) {
    await client.del({ containerId: `ns-${netns.name}`, netns: netns.path }).catch(() => undefined);
    await deleteNetns(netns);
  }
});

afterAll(async () => {
  client?.close();
  await plugin?.stop();
  for (const netns of namespaces.splice(0)) await deleteNetns(netns);
  const podCidr = parseCidr(POD_CIDR);
  const clusterCidr = parseCidr(CLUSTER_CIDR);
  if (podCidr && clusterCidr) {
    // Leftover veths of failed tests first, then the bridge and the chains.
    const ports = await run('ip', ['-j', 'link', 'show', 'master', bridge]).catch(() => '[]');
    for (const port of JSON.parse(ports || '[]') as Array<{ ifname: string }>) {
      await run('ip', ['link', 'del', 'dev', port.ifname]).catch(() => undefined);
    }
    const host = new LinuxNetworkHost({ bridge, podCidr, clusterCidr, mtu: 1500, hairpin: true }, execFileRunner);
    await host.teardownHostNetwork();
  }
  if (workDir) await rm(workDir, { recursive: true, force: true });
});

describe('tkube-cni-bridge on a real host', () => {
  it('sets up the bridge with the gateway address and forwarding', async () => {
    const status = await client.status();
    expect(status).toMatchObject({ ready: true, bridge, podCidr: POD_CIDR, gateway: GATEWAY, capacity: 253 });
    expect(await run('ip', ['-4', '-o', 'addr', 'show', 'dev', bridge])).toContain(`${GATEWAY}/24`);
    expect((await readFile('/proc/sys/net/ipv4/ip_forward', 'utf8')).trim()).toBe('1');
    expect(await run('iptables', ['-w', '5', '-S', 'FORWARD'])).toContain(`-j ${forwardChain(bridge)}`);
  });

  it('gives two pods distinct addresses that reach each other across the bridge and the gateway', async () => {
    const a = await newNetns();
    const b = await newNetns();
    const resultA = await client.add({ containerId: `ns-${a.name}`, netns: a.path, args: { K8S_POD_NAME: 'a' } });
    const resultB = await client.add({ containerId: `ns-${b.name}`, netns: b.path, args: { K8S_POD_NAME: 'b' } });
    const ipA = podIpOf(resultA);
    const ipB = podIpOf(resultB);
    expect(ipA).not.toBe(ipB);
    expect(resultA.routes).toEqual([{ dst: '0.0.0.0/0', gw: GATEWAY }]);
    expect(await run('ip', ['netns', 'exec', a.name, 'ip', '-4', '-o', 'addr', 'show', 'dev', 'eth0'])).toContain(
      resultA.ips[0]?.address,
    );
    const macInside = await run('ip', ['netns', 'exec', a.name, 'cat', '/sys/class/net/eth0/address']);
    expect(resultA.interfaces[2]?.mac).toBe(macInside.trim());
    const veth = hostVethName(`ns-${a.name}`, 'eth0');
    expect((await readFile(`/sys/class/net/${veth}/brport/hairpin_mode`, 'utf8')).trim()).toBe('1');

    const serverB = await startTcpServerInNetns(b, ipB, PORT);
    const serverA = await startTcpServerInNetns(a, ipA, PORT);
    try {
      expect(await tcpRequestFromNetns(a, ipB, PORT)).toBe(`pong from ${ipB}`);
      expect(await tcpRequestFromNetns(b, ipA, PORT)).toBe(`pong from ${ipA}`);
    } finally {
      serverA.stop();
      serverB.stop();
    }

    // The host end: the test listens on the bridge's own address, the gateway.
    const gatewayServer = await listenOn(GATEWAY);
    try {
      expect(await tcpRequestFromNetns(a, GATEWAY, gatewayServer.port)).toBe('pong from the host');
      expect(await tcpRequestFromNetns(b, GATEWAY, gatewayServer.port)).toBe('pong from the host');
    } finally {
      gatewayServer.server.close();
    }
    await client.check({ containerId: `ns-${a.name}`, netns: a.path, prevResult: resultA });
  });

  it('adds a MASQUERADE rule for the pod and removes it, the veth and the address on Del', async () => {
    const a = await newNetns();
    const containerId = `ns-${a.name}`;
    const result = await client.add({ containerId, netns: a.path });
    const ip = podIpOf(result);
    const rules = await masqueradeRules();
    expect(rules).toContain(attachmentComment(containerId, 'eth0'));
    expect(rules).toMatch(new RegExp(`-s ${ip.replaceAll('.', '\\.')}/32 ! -d 10\\.244\\.0\\.0/16 .*-j MASQUERADE`));
    expect(await allocatedAddresses()).toContain(ip);

    await client.del({ containerId, netns: a.path });
    expect(await masqueradeRules()).not.toContain(attachmentComment(containerId, 'eth0'));
    expect(await linkExists(hostVethName(containerId, 'eth0'))).toBe(false);
    expect(await allocatedAddresses()).not.toContain(ip);
    await expect(client.check({ containerId, netns: a.path })).rejects.toMatchObject({
      code: CniErrorCode.ContainerUnknown,
    });

    // Del twice, then Add again into the same namespace: the attachment comes back whole.
    await client.del({ containerId, netns: a.path });
    const again = await client.add({ containerId, netns: a.path });
    await client.check({ containerId, netns: a.path, prevResult: again });
  });

  it('Del succeeds after the namespace was deleted, and releases everything', async () => {
    const a = await newNetns();
    const containerId = `ns-${a.name}`;
    const ip = podIpOf(await client.add({ containerId, netns: a.path }));
    await deleteNetns(a);
    await client.del({ containerId, netns: a.path });
    await client.del({ containerId, netns: a.path });
    expect(await allocatedAddresses()).not.toContain(ip);
    expect(await linkExists(hostVethName(containerId, 'eth0'))).toBe(false);
    expect(await masqueradeRules()).not.toContain(attachmentComment(containerId, 'eth0'));
  });

  it('a failed Add leaves no address, veth or rule behind', async () => {
    const a = await newNetns();
    await client.add({ containerId: `ns-${a.name}`, netns: a.path });
    const before = await allocatedAddresses();
    // eth0 is taken in that namespace, so creating the pair fails after the address was claimed.
    const error = await client.add({ containerId: 'intruder', netns: a.path }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: CniErrorCode.IoFailure });
    expect(await allocatedAddresses()).toEqual(before);
    expect(await linkExists(hostVethName('intruder', 'eth0'))).toBe(false);
    expect(await masqueradeRules()).not.toContain(attachmentComment('intruder', 'eth0'));
  });

  it('Del after the plugin crashed and restarted releases the attachment', async () => {
    const a = await newNetns();
    const containerId = `ns-${a.name}`;
    const ip = podIpOf(await client.add({ containerId, netns: a.path }));
    client.close();
    await plugin.kill();
    // The crash left its socket file; the new process replaces it.
    client = await plugin.start();
    await client.check({ containerId, netns: a.path });
    await client.del({ containerId, netns: a.path });
    expect(await allocatedAddresses()).not.toContain(ip);
    expect(await linkExists(hostVethName(containerId, 'eth0'))).toBe(false);
    expect(await masqueradeRules()).not.toContain(attachmentComment(containerId, 'eth0'));
  });

  it('gives 20 concurrent Adds 20 distinct addresses', async () => {
    const all = await Promise.all(Array.from({ length: 20 }, () => newNetns()));
    const results = await Promise.all(
      all.map((netns) => client.add({ containerId: `ns-${netns.name}`, netns: netns.path })),
    );
    const addresses = results.map(podIpOf);
    expect(new Set(addresses).size).toBe(20);
    for (const address of addresses) expect(address).toMatch(/^10\.244\.250\.\d+$/);
    await Promise.all(all.map((netns) => client.del({ containerId: `ns-${netns.name}`, netns: netns.path })));
    expect(await allocatedAddresses()).toEqual([]);
    expect(JSON.parse(await run('ip', ['-j', 'link', 'show', 'master', bridge]))).toEqual([]);
  });

  it('stops cleanly on SIGTERM', async () => {
    client.close();
    expect(await plugin.stop()).toBe(0);
    await expect(access(socketPath)).rejects.toThrow();
    client = await plugin.start();
    expect((await client.version()).supportedVersions).toContain('1.0.0');
  });

  it("without --pod-cidr, learns the block from an Add's ipRanges, and Del releases it after a restart", async () => {
    // A plugin of its own: its bridge, state dir and socket, and no block until the Add.
    const learningBridge = `tkt${randomSuffix(3)}`;
    const learningState = join(workDir, 'learning-state');
    const learningIpam = ipamDirOf(learningState, learningBridge);
    const learning = new PluginProcess({
      socketPath: join(workDir, 'run', 'learning.sock'),
      bridge: learningBridge,
      podCidr: undefined,
      clusterCidr: CLUSTER_CIDR,
      stateDir: learningState,
    });
    let learningClient = await learning.start();
    try {
      expect(await learningClient.status()).toMatchObject({ ready: true, podCidr: '', gateway: '' });
      expect(await linkExists(learningBridge)).toBe(false);

      const a = await newNetns();
      const containerId = `ns-${a.name}`;
      const ipRanges = (subnet: string) => ({ portMappings: [], ipRanges: [{ ranges: [{ subnet, gateway: '' }] }] });
      const result = await learningClient.add({ containerId, netns: a.path, runtimeConfig: ipRanges(LEARNT_CIDR) });
      const ip = podIpOf(result);
      expect(ip).toMatch(/^10\.244\.251\.\d+$/);
      expect(result.routes).toEqual([{ dst: '0.0.0.0/0', gw: LEARNT_GATEWAY }]);
      expect(await readFile(join(learningIpam, 'node-pod-cidr'), 'utf8')).toBe(`${LEARNT_CIDR}\n`);
      expect(await run('ip', ['-4', '-o', 'addr', 'show', 'dev', learningBridge])).toContain(`${LEARNT_GATEWAY}/24`);
      const gatewayServer = await listenOn(LEARNT_GATEWAY);
      try {
        expect(await tcpRequestFromNetns(a, LEARNT_GATEWAY, gatewayServer.port)).toBe('pong from the host');
      } finally {
        gatewayServer.server.close();
      }

      // A new process on the same state dir knows the block before any Add.
      learningClient.close();
      await learning.kill();
      learningClient = await learning.start();
      expect(await learningClient.status()).toMatchObject({
        ready: true,
        podCidr: LEARNT_CIDR,
        gateway: LEARNT_GATEWAY,
        allocated: 1,
      });
      await learningClient.check({ containerId, netns: a.path, prevResult: result });
      await learningClient.del({ containerId, netns: a.path });
      expect(await allocatedAddresses(learningIpam)).toEqual([]);
      expect(await linkExists(hostVethName(containerId, 'eth0'))).toBe(false);
      const rules = await run('iptables', ['-w', '5', '-t', 'nat', '-S', masqueradeChain(learningBridge)]);
      expect(rules).not.toContain(attachmentComment(containerId, 'eth0'));

      await expect(
        learningClient.add({ containerId, netns: a.path, runtimeConfig: ipRanges('10.244.252.0/24') }),
      ).rejects.toMatchObject({
        code: CniErrorCode.InvalidNetworkConfig,
        message: `this node's pod CIDR is ${LEARNT_CIDR}, the runtime asked for 10.244.252.0/24`,
      });

      // The teardown finds the learnt block in the state dir and removes it with the rest.
      learningClient.close();
      expect(await learning.stop()).toBe(0);
      const teardown = await runPluginCommand(['--teardown', '--bridge', learningBridge, '--state-dir', learningState]);
      expect(teardown).toMatchObject({ code: 0, stderr: '' });
      expect(await linkExists(learningBridge)).toBe(false);
      await expect(access(learningIpam)).rejects.toThrow(/ENOENT/);
    } finally {
      learningClient.close();
      await learning.stop();
      const podCidr = parseCidr(LEARNT_CIDR);
      const clusterCidr = parseCidr(CLUSTER_CIDR);
      if (podCidr && clusterCidr) {
        const network = { bridge: learningBridge, podCidr, clusterCidr, mtu: 1500, hairpin: true };
        await new LinuxNetworkHost(network, execFileRunner).teardownHostNetwork().catch(() => undefined);
      }
    }
  });

  // Last: it removes the bridge the tests above share.
  it('--teardown, once the plugin stopped, leaves no veth, rule, chain, bridge or IPAM state', async () => {
    const a = await newNetns();
    const containerId = `ns-${a.name}`;
    await client.add({ containerId, netns: a.path });
    const veth = hostVethName(containerId, 'eth0');
    expect(await linkExists(veth)).toBe(true);
    client.close();
    expect(await plugin.stop()).toBe(0);

    const args = ['--teardown', '--bridge', bridge, '--pod-cidr', POD_CIDR, '--state-dir', stateDir];
    const first = await runPluginCommand(args);
    expect(first).toMatchObject({ code: 0, stderr: '' });
    expect(first.stdout).toContain(`removed: veth ${veth}\n`);
    expect(first.stdout).toContain(`removed: bridge ${bridge}\n`);
    expect(first.stdout).toContain(`removed: chain nat ${masqueradeChain(bridge)}\n`);

    expect(await run('ip', ['-o', 'link', 'show'])).not.toContain(bridge);
    expect(await linkExists(veth)).toBe(false);
    expect(await run('iptables-save', [])).not.toContain(bridge);
    expect(await allocatedAddresses()).toEqual([]);
    await expect(access(ipamDirOf(stateDir, bridge))).rejects.toThrow(/ENOENT/);
    // The pod's side went with its veth; the namespace itself is the runtime's.
    expect(await run('ip', ['netns', 'exec', a.name, 'ip', '-o', 'link', 'show'])).not.toContain('eth0');

    const again = await runPluginCommand([...args, '--output', 'json']);
    expect(again.code).toBe(0);
    const report = JSON.parse(again.stdout) as { removals: Array<{ outcome: string }> };
    expect(report.removals.map((r) => r.outcome)).toEqual(Array(6).fill('already gone'));
  });
});

/** A TCP server on a test bridge's address, answering "pong from the host". */
async function listenOn(address: string): Promise<{ server: Server; port: number }> {
  const server = createServer((socket) => socket.end('pong from the host'));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, address, () => resolve());
  });
  const bound = server.address();
  if (typeof bound !== 'object' || bound === null) throw new Error('no address');
  return { server, port: bound.port };
}
