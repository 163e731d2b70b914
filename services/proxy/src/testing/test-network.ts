/**
 * A network of its own for the integration tests: a bridge `tkpxt<random>` with
 * 10.244.250.1/24, and two network namespaces (client .2, server .3) joined to it by veth
 * pairs, as the bridge network plugin makes pods. Everything carries the random suffix and
 * is removed by `destroy`, also after a half-made setup.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { hostRunner } from '../iptables/command-runner.js';

export const TEST_CIDR = '10.244.250.0/24';
export const GATEWAY = '10.244.250.1';
export const CLIENT_IP = '10.244.250.2';
export const SERVER_IP = '10.244.250.3';

export interface TestNetwork {
  readonly bridge: string;
  readonly clientNs: string;
  readonly serverNs: string;
  /** Runs node with `script` inside a namespace; resolves with its stdout (bounded by `timeoutMs`). */
  nodeIn(ns: string, script: string, timeoutMs?: number): Promise<string>;
  /** Starts an HTTP server in the server namespace on port 8080, answering "hello <client address>". */
  startServer(): Promise<void>;
  destroy(): Promise<void>;
}

async function sh(command: string, ...args: string[]): Promise<string> {
  const result = await hostRunner.run(command, args);
  if (result.code !== 0) throw new Error(`${command} ${args.join(' ')} failed: ${result.stderr.trim()}`);
  return result.stdout;
}

export async function createTestNetwork(): Promise<TestNetwork> {
  const suffix = randomBytes(3).toString('hex');
  const bridge = `tkpxt${suffix}`;
  const clientNs = `tkpxt-c-${suffix}`;
  const serverNs = `tkpxt-s-${suffix}`;
  const forwardRule = [
    'FORWARD',
    '-i',
    bridge,
    '-o',
    bridge,
    '-m',
    'comment',
    '--comment',
    `tkpxt test ${suffix}`,
    '-j',
    'ACCEPT',
  ];
  const servers: ReturnType<typeof spawn>[] = [];

  const network: TestNetwork = {
    bridge,
    clientNs,
    serverNs,
    nodeIn: (ns, script, timeoutMs = 10_000) =>
      new Promise((resolve, reject) => {
        const child = spawn('ip', ['netns', 'exec', ns, process.execPath, '-e', script], {
          stdio: ['ignore', 'pipe', 'pipe'],
          timeout: timeoutMs,
        });
        let out = '';
        let err = '';
        child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
        child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
        child.on('error', reject);
        child.on('close', (code) =>
          code === 0 ? resolve(out) : reject(new Error(`node in ${ns} exited ${code}: ${err}`)),
        );
      }),
    startServer: async () => {
      const script = `require('node:http').createServer((q, r) => r.end('hello ' + q.socket.remoteAddress)).listen(8080, '${SERVER_IP}', () => console.log('listening'))`;
      const child = spawn('ip', ['netns', 'exec', serverNs, process.execPath, '-e', script], {
        stdio: ['ignore', 'pipe', 'ignore'],
      });
      servers.push(child);
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('the test server did not start')), 10_000);
        child.stdout?.once('data', () => {
          clearTimeout(timer);
          resolve();
        });
      });
    },
    destroy: async () => {
      for (const server of servers) server.kill('SIGKILL');
      const quiet = (command: string, ...args: string[]) => hostRunner.run(command, args).catch(() => undefined);
      await quiet('iptables', '-D', ...forwardRule);
      await quiet('ip', 'netns', 'del', clientNs);
      await quiet('ip', 'netns', 'del', serverNs);
      await quiet('ip', 'link', 'del', bridge);
    },
  };

  try {
    await sh('ip', 'link', 'add', bridge, 'type', 'bridge');
    await sh('ip', 'addr', 'add', `${GATEWAY}/24`, 'dev', bridge);
    await sh('ip', 'link', 'set', bridge, 'up');
    // The bridge plugin accepts its bridge's traffic in FORWARD (Docker's policy is DROP); so do we.
    await sh('iptables', '-I', ...forwardRule);
    for (const [ns, ip, side] of [
      [clientNs, CLIENT_IP, 'c'],
      [serverNs, SERVER_IP, 's'],
    ] as const) {
      const hostEnd = `tkpx${side}${suffix}`;
      await sh('ip', 'netns', 'add', ns);
      await sh('ip', 'link', 'add', hostEnd, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', ns);
      await sh('ip', 'link', 'set', hostEnd, 'master', bridge, 'up');
      // As the bridge plugin does: with br_netfilter a pod's packet DNAT-ed back to itself is bridged out of the port it came in.
      await sh('ip', 'link', 'set', 'dev', hostEnd, 'type', 'bridge_slave', 'hairpin', 'on');
      await sh('ip', '-n', ns, 'addr', 'add', `${ip}/24`, 'dev', 'eth0');
      await sh('ip', '-n', ns, 'link', 'set', 'eth0', 'up');
      await sh('ip', '-n', ns, 'link', 'set', 'lo', 'up');
      await sh('ip', '-n', ns, 'route', 'add', 'default', 'via', GATEWAY);
    }
  } catch (err) {
    await network.destroy();
    throw err;
  }
  return network;
}

/** A script for `nodeIn`: GET `url`, print the body, or "error <code>" (bounded by `timeoutMs`). */
export function httpGetScript(url: string, timeoutMs = 3_000): string {
  return `const r = require('node:http').get(${JSON.stringify(url)}, { timeout: ${timeoutMs} }, (res) => { let b = ''; res.on('data', (c) => b += c); res.on('end', () => console.log(b)); });
r.on('timeout', () => { console.log('error ETIMEDOUT'); r.destroy(); });
r.on('error', (e) => { if (e.code !== 'ECONNRESET' || !r.destroyed) console.log('error ' + e.code); });`;
}
