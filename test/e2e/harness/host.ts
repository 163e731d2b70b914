/** The host as the tests inspect it: Docker containers, links, iptables, HTTP to pod IPs. */
import { request } from 'node:http';
import { CommandFailedError, run } from './run.js';

export async function docker(args: readonly string[]): Promise<string> {
  const result = await run('docker', args, { timeoutMs: 30_000 });
  if (result.code !== 0) throw new CommandFailedError(`docker ${args.join(' ')}`, result);
  return result.stdout;
}

/** Ids of every Docker container (running or not) with the label. */
export async function containersLabelled(label: string): Promise<string[]> {
  const out = await docker(['ps', '--all', '--quiet', '--no-trunc', '--filter', `label=${label}`]);
  return out.split('\n').filter((line) => line.trim() !== '');
}

export interface DockerState {
  Running: boolean;
  StartedAt: string;
  FinishedAt: string;
  ExitCode: number;
}

export async function dockerState(id: string): Promise<DockerState> {
  return JSON.parse(await docker(['inspect', '--format', '{{json .State}}', id])) as DockerState;
}

export async function hostCommand(file: string, args: readonly string[]): Promise<string> {
  const result = await run(file, args, { timeoutMs: 30_000 });
  if (result.code !== 0) throw new CommandFailedError(`${file} ${args.join(' ')}`, result);
  return result.stdout;
}

/** The names of the links attached to the bridge. */
export async function bridgePorts(bridge: string): Promise<string[]> {
  const result = await run('ip', ['-j', 'link', 'show', 'master', bridge]);
  if (result.code !== 0) return [];
  return (JSON.parse(result.stdout || '[]') as Array<{ ifname: string }>).map((l) => l.ifname);
}

export async function linkExists(name: string): Promise<boolean> {
  return (await run('ip', ['link', 'show', 'dev', name])).code === 0;
}

/** GET http://ip:port/path from the host (busybox wget on this host crashes; Node's client does not). */
export function httpGet(url: string, timeoutMs = 2_000): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { timeout: timeoutMs }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => {
        body += d.toString('utf8');
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`GET ${url} timed out`)));
    req.on('error', reject);
    req.end();
  });
}

/** Whether the address is inside the IPv4 CIDR. */
export function inCidr(address: string, cidr: string): boolean {
  const [base = '', bits = '32'] = cidr.split('/');
  const toNumber = (ip: string) => ip.split('.').reduce((n, part) => n * 256 + Number(part), 0);
  const size = 2 ** (32 - Number(bits));
  const start = toNumber(base) - (toNumber(base) % size);
  const value = toNumber(address);
  return value >= start && value < start + size;
}

/** Whether a process with this pid still runs (signal 0 checks without sending anything). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
