/**
 * Network namespaces for integration tests, created and removed by the test itself
 * (`ip netns add tkube-test-<random>`), and small TCP probes run inside them with Node
 * (`ip netns exec <ns> node -e ...`), since ping and nc may not be installed. Every probe
 * is bounded in time and only talks to addresses the test created.
 */
import type { ChildProcess } from 'node:child_process';
import { execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';

export function randomSuffix(bytes = 3): string {
  return randomBytes(bytes).toString('hex');
}

export function run(file: string, args: readonly string[], timeoutMs = 30_000): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(file, args, { timeout: timeoutMs, encoding: 'utf8' }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${file} ${args.join(' ')} failed: ${stderr || error.message}`));
      else resolve(stdout);
    });
  });
}

export interface TestNetns {
  name: string;
  path: string;
}

export async function createNetns(): Promise<TestNetns> {
  const name = `tkube-test-${randomSuffix(4)}`;
  await run('ip', ['netns', 'add', name]);
  return { name, path: `/var/run/netns/${name}` };
}

/** Removes the namespace; fine when it is already gone. */
export async function deleteNetns(netns: TestNetns): Promise<void> {
  await run('ip', ['netns', 'del', netns.name]).catch(() => undefined);
}

const SERVER_SCRIPT = `
const net = require('node:net');
const [host, port] = process.argv.slice(1);
const server = net.createServer((socket) => socket.end('pong from ' + host));
server.listen(Number(port), host, () => process.stdout.write('listening\\n'));
setTimeout(() => process.exit(0), 60000).unref();
`;

const CLIENT_SCRIPT = `
const net = require('node:net');
const [host, port] = process.argv.slice(1);
const socket = net.connect({ host, port: Number(port), timeout: 3000 });
let reply = '';
socket.on('data', (chunk) => (reply += chunk));
socket.on('end', () => { process.stdout.write(reply); process.exit(0); });
socket.on('timeout', () => { process.stderr.write('timeout'); process.exit(2); });
socket.on('error', (error) => { process.stderr.write(error.message); process.exit(3); });
`;

export interface TcpServer {
  stop(): void;
}

/** A TCP server inside the namespace that answers "pong from <host>" to every connection. */
export function startTcpServerInNetns(netns: TestNetns, host: string, port: number): Promise<TcpServer> {
  const child = spawn('ip', ['netns', 'exec', netns.name, process.execPath, '-e', SERVER_SCRIPT, host, String(port)], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return waitForListening(child);
}

/** Connects from inside the namespace and resolves with the reply; rejects after a few seconds. */
export function tcpRequestFromNetns(netns: TestNetns, host: string, port: number): Promise<string> {
  return run('ip', ['netns', 'exec', netns.name, process.execPath, '-e', CLIENT_SCRIPT, host, String(port)], 10_000);
}

function waitForListening(child: ChildProcess): Promise<TcpServer> {
  return new Promise((resolve, reject) => {
    let stderr = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the TCP server did not start: ${stderr}`));
    }, 10_000);
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.stdout?.on('data', (chunk: Buffer) => {
      if (!chunk.toString().includes('listening')) return;
      clearTimeout(timer);
      resolve({ stop: () => child.kill('SIGKILL') });
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the TCP server exited with ${code}: ${stderr}`));
    });
  });
}
