/**
 * The kernel's TCP counters (TcpExt and Tcp lines of /proc/net/netstat and /proc/net/snmp)
 * of the host (with its conntrack statistics) and of each pod's network namespace (read with `docker exec` in its httpd
 * container, found by the labels cri-docker puts on it): what explains a stalled request,
 * e.g. a SYN the client had to resend after TCP's 1 s initial retransmission timeout.
 */
import { readFileSync } from 'node:fs';
import { runCommand } from '../../../bench-kit/run-command.ts';

export type TcpCounters = Record<string, number>;

/** Header lines of names followed by lines of values, as in /proc/net/netstat and /proc/net/snmp. */
export function parseCounters(text: string): TcpCounters {
  const counters: TcpCounters = {};
  const lines = text.split('\n');
  for (let i = 0; i + 1 < lines.length; i++) {
    const names = (lines[i] ?? '').trim().split(/\s+/);
    const values = (lines[i + 1] ?? '').trim().split(/\s+/);
    const section = names[0] ?? '';
    if (!['TcpExt:', 'Tcp:'].includes(section) || values[0] !== section) continue;
    for (let k = 1; k < names.length; k++) counters[`${section.slice(0, -1)}.${names[k]}`] = Number(values[k]);
    i++;
  }
  return counters;
}

/** /proc/net/stat/nf_conntrack: a header of names, then one line of hex values per CPU, summed here. */
export function parseConntrackStats(text: string): TcpCounters {
  const [header = '', ...cpus] = text.trim().split('\n');
  const names = header.trim().split(/\s+/);
  const counters: TcpCounters = {};
  for (const line of cpus) {
    const values = line.trim().split(/\s+/);
    names.forEach((name, k) => {
      counters[`conntrack.${name}`] = (counters[`conntrack.${name}`] ?? 0) + Number.parseInt(values[k] ?? '0', 16);
    });
  }
  return counters;
}

export function hostCounters(): TcpCounters {
  const tcp = parseCounters(`${readFileSync('/proc/net/netstat', 'utf8')}\n${readFileSync('/proc/net/snmp', 'utf8')}`);
  let conntrack: TcpCounters = {};
  try {
    conntrack = parseConntrackStats(readFileSync('/proc/net/stat/nf_conntrack', 'utf8'));
  } catch {
    // conntrack not loaded: nothing to add
  }
  return { ...tcp, ...conntrack };
}

/** Undefined when the container cannot be found or read: the figures are context, not the result. */
export async function podCounters(runtimeInstance: string, podName: string): Promise<TcpCounters | undefined> {
  const listed = await runCommand(
    'docker',
    [
      'ps',
      '--quiet',
      '--filter',
      `label=io.tkube.cri.instance=${runtimeInstance}`,
      '--filter',
      `label=io.kubernetes.pod.name=${podName}`,
      '--filter',
      'label=io.kubernetes.docker.type=container',
    ],
    15_000,
  );
  const id = listed.code === 0 ? listed.output.trim().split('\n')[0] : undefined;
  if (!id) return undefined;
  const read = await runCommand('docker', ['exec', id, 'cat', '/proc/net/netstat', '/proc/net/snmp'], 15_000);
  return read.code === 0 ? parseCounters(read.output) : undefined;
}

/** Levels, not counts: their growth means nothing. */
const GAUGES = new Set(['Tcp.CurrEstab', 'conntrack.entries']);

/** The counters that grew between two readings, and by how much (gauges such as CurrEstab left out). */
export function growth(before: TcpCounters | undefined, after: TcpCounters | undefined): TcpCounters | undefined {
  if (!before || !after) return undefined;
  const grown: TcpCounters = {};
  for (const [name, value] of Object.entries(after)) {
    const delta = value - (before[name] ?? 0);
    if (delta > 0 && !GAUGES.has(name)) grown[name] = delta;
  }
  return grown;
}
