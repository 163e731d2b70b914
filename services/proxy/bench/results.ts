/** The benchmark's figures as bench/results.json and a readable bench/results.md. */
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Machine } from '../../../bench-kit/machine.ts';
import {
  type Mode,
  type ModeSummary,
  type PathSummary,
  type RoundFigures,
  type RunFigures,
  SLOW_MS,
} from './figures.ts';
import type { BenchNetwork } from './network-plan.ts';
import type { NatRuleCounts } from './proxy-rules.ts';
import type { TcpCounters } from './tcp-counters.ts';

const here = dirname(fileURLToPath(import.meta.url));

export interface BenchResults {
  date: string;
  machine: Machine;
  load: { before: number[]; after: number[] };
  measurement: {
    seconds: number;
    /** Cores the whole machine kept busy while the rounds ran (/proc/stat). */
    machineBusyCores: number | undefined;
    /** Cores the benchmark's own process (the HTTP client) used meanwhile. */
    clientCores: number;
    /** The host's TCP counters that grew while the rounds ran (other work on the host counts too). */
    hostTcpCounters: TcpCounters | undefined;
    /** Per pod, its network namespace's TCP counters that grew (undefined when unreadable). */
    podTcpCounters: { pod: string; grown: TcpCounters | undefined }[];
  };
  setup: {
    clusterUpSeconds: number;
    network: BenchNetwork;
    replicas: number;
    /** From the Service's POST to every pod Ready and listed as a ready endpoint. */
    workloadReadySeconds: number;
    /** From then to the first answer through the ClusterIP (the proxy's rules in place). */
    firstClusterIPAnswerMs: number;
    /** From then until the proxy's rules DNAT to every pod (they may lag the EndpointSlice). */
    endpointRulesWaitMs: number;
    pods: { name: string; ip: string }[];
    clusterIP: string;
    /** The direct path: the pod IPs, taken in turn. */
    podTargets: string[];
    clusterIPTarget: string;
  };
  natRules: NatRuleCounts;
  plan: {
    rounds: number;
    sequentialPerRound: number;
    concurrentPerRound: number;
    concurrency: number;
    runTimeCapSeconds: number;
    /** No round starts after this long (half of it for the sequential rounds). */
    measureBudgetSeconds: number;
    warmupRequests: number;
  };
  rounds: RoundFigures[];
  summary: Record<Mode, ModeSummary>;
}

export function writeResults(results: BenchResults): void {
  writeFileSync(join(here, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
  writeFileSync(join(here, 'results.md'), markdown(results));
}

function ms(n: number): string {
  return Number.isFinite(n) ? `${n.toFixed(2)} ms` : 'n/a';
}

function signed(n: number): string {
  return `${n >= 0 ? '+' : ''}${ms(n)}`;
}

function pathRow(label: string, s: PathSummary): string {
  const p = s.pooledMs;
  return `| ${label} | ${s.requestsPerSecondMedian} | ${ms(s.p50MedianMs)} | ${ms(s.p90MedianMs)} | ${ms(s.p99MedianMs)} | ${ms(p.p50)} / ${ms(p.p99)} / ${ms(p.max)} | ${s.answered} | ${s.failed} | ${s.slow} |`;
}

function summaryTable(mode: Mode, s: ModeSummary, r: BenchResults): string {
  const title =
    mode === 'sequential'
      ? `Sequential: one request at a time, ${r.plan.sequentialPerRound} per path per round`
      : `Concurrent: ${r.plan.concurrency} requests in flight, ${r.plan.concurrentPerRound} per path per round`;
  return `### ${title}

| path | req/s (median of rounds) | p50 | p90 | p99 | all rounds pooled: p50 / p99 / max | answered | failed | over ${SLOW_MS} ms |
| --- | --- | --- | --- | --- | --- | --- | --- | --- |
${pathRow(`pod IPs directly (${r.setup.podTargets.join(', ')})`, s.podIP)}
${pathRow(`ClusterIP (${r.setup.clusterIPTarget})`, s.clusterIP)}
| **ClusterIP - pod IPs** | **x ${s.requestsPerSecondRatio.toFixed(2)}** | **${signed(s.addedP50Ms)}** (${s.addedP50Percent} %) | | **${signed(s.addedP99Ms)}** | | | | |
`;
}

function runCell(x: RunFigures): string {
  const failed = `${x.failed > 0 ? `, ${x.failed} failed` : ''}${x.slow > 0 ? `, ${x.slow} over ${SLOW_MS} ms` : ''}`;
  const capped = x.capped ? ' (time cap)' : '';
  return `${x.requestsPerSecond} req/s, ${ms(x.latencyMs.p50)} / ${ms(x.latencyMs.p99)}${failed}${capped}`;
}

function roundsTable(rounds: RoundFigures[]): string {
  const rows = rounds.map(
    (x) =>
      `| ${x.mode} | ${x.round} | ${x.first === 'podIP' ? 'pod IP' : 'ClusterIP'} | ${runCell(x.podIP)} | ${runCell(x.clusterIP)} | ${signed(x.clusterIP.latencyMs.p50 - x.podIP.latencyMs.p50)} |`,
  );
  return `| mode | round | first | pod IP: req/s, p50 / p99 | ClusterIP: req/s, p50 / p99 | added p50 |
| --- | --- | --- | --- | --- | --- |
${rows.join('\n')}
`;
}

/** How the ClusterIP's answers spread over the pods (the statistic match's random pick). */
function balance(rounds: RoundFigures[]): string {
  const counts: Record<string, number> = {};
  for (const x of rounds) {
    for (const [pod, n] of Object.entries(x.clusterIP.answeredBy)) counts[pod] = (counts[pod] ?? 0) + n;
  }
  const total = Object.values(counts).reduce((a, b) => a + b, 0);
  return Object.entries(counts)
    .sort((a, b) => a[0].localeCompare(b[0]))
    .map(([pod, n]) => `${pod} ${n} (${Math.round((n / total) * 100)} %)`)
    .join(', ');
}

function markdown(r: BenchResults): string {
  const { machine, setup, natRules: nat } = r;
  const seq = r.summary.sequential;
  const conc = r.summary.concurrent;
  return `# tkube-proxy benchmark: ClusterIP versus pod IP

Written by \`node --experimental-strip-types bench/proxy-bench.ts\` in services/proxy (as root, after
the build) on ${r.date}.

## Result

${summaryTable('sequential', seq, r)}
${summaryTable('concurrent', conc, r)}
Latency is per request, from the call to the last byte of the answer, over a new TCP connection each
time. "ClusterIP - pod IP" is the median over the ${r.plan.rounds} rounds of each round's difference (and of its
requests/s ratio). The ClusterIP's answers came from ${balance(r.rounds)}.

## What was measured, and how

A throwaway cluster from the built \`tkube up\` (Docker runtime, one node, ${setup.clusterUpSeconds} s to come up) in a
network of its own: pods in ${setup.network.clusterCidr} on bridge ${setup.network.bridge}, Services in ${setup.network.serviceCidr}. A
Deployment of ${setup.replicas} busybox:1.35 pods running \`httpd -f -p 8080 -h /www\`, each serving its own hostname
from /www/index.html, with an HTTP readiness probe, and a ClusterIP Service (port 80 -> 8080) in front of
them, created through the REST API: Ready and listed in the Service's EndpointSlice ${setup.workloadReadySeconds} s after the
POSTs; the ClusterIP answered ${setup.firstClusterIPAnswerMs} ms after that and the proxy's rules DNATed to every pod
${setup.endpointRulesWaitMs} ms later still. The node's tkube-proxy wrote
${nat.rules} nat rules in ${nat.chains} chains (prefix \`${nat.prefix}\`), ${nat.serviceRules} of them for this Service;
\`iptables-save -t nat | grep -c TKP\` counted ${nat.hostTkpLines} lines on the host (every tkube cluster running on
it), with ${nat.hostOutputJumps} jump(s) from OUTPUT into proxies' chains.

From the host, the benchmark's Node http client sent GET / without keep-alive (busybox httpd closes each
connection anyway) to the pods directly (${setup.podTargets.join(' and ')} in turn, over the node's bridge) and to
the ClusterIP (${setup.clusterIPTarget}, which the proxy's nat OUTPUT rules DNAT to one of the ${setup.replicas} pods at random and
masquerade). The direct path takes the pods in turn so that both paths spread the work over the same
${setup.replicas} httpd processes and differ only by the proxy's rules; with one pod only, 8 requests in flight would queue
at one httpd and the comparison would favour the ClusterIP.
After ${r.plan.warmupRequests} warm-up requests per path, ${r.plan.rounds} rounds per mode, each round running both paths back to
back and alternating which goes first, so that the machine's drift hits both alike: sequential (one
request in flight) and concurrent (${r.plan.concurrency} in flight); every run is bounded by its count and by
${r.plan.runTimeCapSeconds} s, and no round starts after ${r.plan.measureBudgetSeconds} s of rounds. Traffic went only to this cluster's pod IPs and ClusterIP.

**Machine:** ${machine.cores} cores (${machine.cpuModel}), ${machine.memoryGiB} GiB memory, Node ${machine.node}, ${machine.platform}, kernel
${machine.kernel}; shared with other work: load average ${r.load.before.join(' / ')} before, ${r.load.after.join(' / ')} after. During
the ${r.measurement.seconds} s of rounds the machine kept ${r.measurement.machineBusyCores ?? 'n/a'} of ${machine.cores} cores busy, the benchmark's client
${r.measurement.clientCores} of them.

## Where the time goes

${whereTheTimeGoes(r)}

## Every round

${roundsTable(r.rounds)}`;
}

/** How often the ClusterIP's p50 was above the pod IPs' in a round, and the spread of the difference. */
function verdict(r: BenchResults, mode: Mode): string {
  const rounds = r.rounds.filter((x) => x.mode === mode);
  const above = rounds.filter((x) => x.clusterIP.latencyMs.p50 > x.podIP.latencyMs.p50).length;
  const [low, high] = r.summary[mode].addedP50RangeMs;
  return `above the pod IPs' in ${above} of ${rounds.length} rounds (per-round differences ${signed(low)} to ${signed(high)})`;
}

function rpsRange(r: BenchResults, mode: Mode): string {
  const rps = r.rounds
    .filter((x) => x.mode === mode)
    .flatMap((x) => [x.podIP.requestsPerSecond, x.clusterIP.requestsPerSecond]);
  return `${Math.min(...rps)} to ${Math.max(...rps)}`;
}

function whereTheTimeGoes(r: BenchResults): string {
  const seq = r.summary.sequential;
  const conc = r.summary.concurrent;
  const paragraphs = [
    [
      'A request through the ClusterIP costs what one to a pod costs plus the netfilter work on its first',
      'packet: the connection is new, so conntrack creates an entry and the nat table is walked (OUTPUT -> each',
      "proxy's SERVICES chain -> the Service's chain, whose statistic match picks a pod -> the endpoint's chain,",
      "which DNATs to pod:8080), and POSTROUTING masquerades it, the host's source address being outside the",
      "pods' range. Every later packet of the connection (the answer, the close) just takes the conntrack entry's",
      `translation. At p50 the ClusterIP took ${signed(seq.addedP50Ms)} one request at a time, ${verdict(r, 'sequential')}, and`,
      `${signed(conc.addedP50Ms)} with ${r.plan.concurrency} in flight, ${verdict(r, 'concurrent')}.`,
    ],
    [
      `The ${ms(seq.podIP.p50MedianMs)} of a direct request go elsewhere: busybox httpd forks a child for every connection, which`,
      'parses the request, reads the file, answers and exits; the client pays a TCP handshake, its event loop and',
      `the close; all on a ${r.machine.cores}-core machine shared with the pods, the cluster and other work (the client alone kept`,
      `${r.measurement.clientCores} cores busy, the whole machine ${r.measurement.machineBusyCores ?? 'n/a'}). With ${r.plan.concurrency} in flight the cores set the pace and requests`,
      'queue behind each other, hence the higher latencies, and the load of the rest of the machine moves every',
      'round (every round below).',
    ],
    pawsRejects(r),
    requestsPerSecond(r),
  ];
  return paragraphs.map((lines) => lines.join('\n')).join('\n\n');
}

function roundsWithStalls(r: BenchResults, mode: Mode, path: 'podIP' | 'clusterIP'): string {
  const rounds = r.rounds.filter((x) => x.mode === mode);
  const stalled = rounds.filter((x) => x[path].slow > 0);
  const requests = stalled.reduce((t, x) => t + x[path].slow, 0);
  return requests === 0 ? 'none' : `${requests} in ${stalled.length} of ${rounds.length} rounds`;
}

function requestsPerSecond(r: BenchResults): string[] {
  const seq = r.summary.sequential;
  const conc = r.summary.concurrent;
  const slow = seq.podIP.slow + seq.clusterIP.slow + conc.podIP.slow + conc.clusterIP.slow;
  const lines = [
    `A run's requests/s follow the machine's load first: from round to round they ranged from ${rpsRange(r, 'sequential')} one at`,
    `a time and from ${rpsRange(r, 'concurrent')} with ${r.plan.concurrency} in flight, on either path: far more than the p50 differences above`,
    `could account for. Per round, the ClusterIP served x ${seq.requestsPerSecondRatio.toFixed(2)} the direct requests/s one at a time and x ${conc.requestsPerSecondRatio.toFixed(2)} with ${r.plan.concurrency}`,
    "in flight (medians of the rounds' ratios; the columns' medians above come from different rounds).",
  ];
  if (slow === 0) {
    lines.push(`No request took ${SLOW_MS} ms or more.`);
    return lines;
  }
  lines.push(
    `Requests/s are wall-clock figures, so they carry a run's stalls: a run of half a second with one request`,
    `stuck for a second lasts over a second. Requests of ${SLOW_MS} ms or more, concurrently: the pod IPs`,
    `${roundsWithStalls(r, 'concurrent', 'podIP')}, the ClusterIP ${roundsWithStalls(r, 'concurrent', 'clusterIP')}; one at a time,`,
    `the pod IPs ${roundsWithStalls(r, 'sequential', 'podIP')}, the ClusterIP ${roundsWithStalls(r, 'sequential', 'clusterIP')}. No SYN was lost to a full listen queue (the pods counted`,
    `${podsGrew(r, 'TcpExt.ListenOverflows')} TcpExt.ListenOverflows; busybox httpd listens with a backlog of 9) nor dropped by the host's conntrack`,
    `(${hostGrew(r, 'conntrack.insert_failed')} insert_failed, ${hostGrew(r, 'conntrack.drop')} drop).`,
  );
  return lines;
}

/** The pods' counters summed (n/a when some pod could not be read). */
function podsGrew(r: BenchResults, name: string): string {
  const pods = r.measurement.podTcpCounters;
  if (pods.some((p) => p.grown === undefined)) return 'n/a';
  return String(pods.reduce((t, p) => t + (p.grown?.[name] ?? 0), 0));
}

function hostGrew(r: BenchResults, name: string): string {
  const host = r.measurement.hostTcpCounters;
  return host ? String(host[name] ?? 0) : 'n/a';
}

/** Handshakes a pod's TIME_WAIT refused: what mixing the two paths on the same pods costs. */
function pawsRejects(r: BenchResults): string[] {
  return [
    `The pods refused ${podsGrew(r, 'TcpExt.PAWSTimewait')} SYNs that met one of their TIME_WAIT sockets (TcpExt.PAWSTimewait). Both`,
    "paths reach a pod from the same address (the bridge's; masqueraded, for the ClusterIP), a pod keeps every",
    'connection it closed in TIME_WAIT for 60 s, the masquerade picks source ports at random (--random-fully),',
    "and the two paths' connections carry TCP timestamps from different clocks (Linux offsets them per address",
    'pair, and the pairs differ before the DNAT), so a SYN that reuses the ports of a TIME_WAIT left by the other',
    "path can fail the pod's PAWS check. The client answers the pod's ACK with a RST and sends its SYN again,",
    'within milliseconds (Linux re-arms the SYN timer to its minimum in that case): the host counted',
    `${hostGrew(r, 'TcpExt.TCPSynRetrans')} SYN retransmissions (TcpExt.TCPSynRetrans, host-wide). In ${hostGrew(r, 'TcpExt.TCPLostRetransmit')} handshakes the resent SYN was lost`,
    'as well (TcpExt.TCPLostRetransmit), after which TCP waits for its 1 s retransmission timeout;',
    `${requestsOverSlow(r)} request(s) took ${SLOW_MS} ms or more (about 1 s each).`,
  ];
}

function requestsOverSlow(r: BenchResults): number {
  return r.rounds.reduce((t, x) => t + x.podIP.slow + x.clusterIP.slow, 0);
}
