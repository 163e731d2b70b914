/**
 * apiserver benchmark: creates per second (sequential and with 16 concurrent clients) and
 * watch delivery latency (create acknowledged -> event received), through the REST API of a
 * real apiserver process on a real nats-server with JetStream, all on loopback.
 *
 * Run: `npm run bench` in services/apiserver (after `npm run build`). Figures go to
 * bench/results.md and bench/results.json beside this file.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
// The built harness: this script runs under Node's type stripping, which does not rewrite imports.
import { startNatsServer } from '../dist/testing/nats-server.js';

const here = dirname(fileURLToPath(import.meta.url));
const SEQUENTIAL_CREATES = 2_000;
const CONCURRENT_CREATES = 10_000;
const CONCURRENT_CLIENTS = 16;
const WATCH_SAMPLES = 2_000;
const WATCH_RATE_PER_SECOND = 500;
const TOKEN = 'bench-token';
/** USER_HZ: 100 on Linux x86_64. */
const CLOCK_TICKS_PER_SECOND = 100;

interface Figures {
  sequentialCreatesPerSecond: number;
  concurrentCreatesPerSecond: number;
  concurrentClients: number;
  createLatencyP99Ms: number;
  watchLatencyP50Ms: number;
  watchLatencyP99Ms: number;
  watchSamples: number;
  apiserverRssMiB: number;
  /** Cores used by each process during the concurrent creates (the machine has 2). */
  coresDuringConcurrentCreates: CpuShares;
}

class BenchClient {
  private readonly agent: https.Agent;
  private readonly base: string;
  constructor(base: string, ca: Buffer) {
    this.base = base;
    this.agent = new https.Agent({ keepAlive: true, maxSockets: CONCURRENT_CLIENTS * 2, ca });
  }

  request(method: string, path: string, body?: unknown): Promise<{ status: number; body: string }> {
    return new Promise((resolve, reject) => {
      const payload = body === undefined ? undefined : JSON.stringify(body);
      const req = https.request(
        `${this.base}${path}`,
        {
          method,
          agent: this.agent,
          headers: {
            authorization: `Bearer ${TOKEN}`,
            'content-type': 'application/json',
            ...(payload ? { 'content-length': Buffer.byteLength(payload) } : {}),
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(payload);
    });
  }

  /** Streams watch events, calling onEvent with each object's name as it arrives. */
  watch(path: string, onEvent: (type: string, name: string) => void): () => void {
    const req = https.request(`${this.base}${path}`, {
      headers: { authorization: `Bearer ${TOKEN}` },
      agent: new https.Agent({ ca: this.agent.options.ca }),
    });
    req.on('response', (res) => {
      let buffered = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buffered += chunk;
        for (let nl = buffered.indexOf('\n'); nl >= 0; nl = buffered.indexOf('\n')) {
          const line = buffered.slice(0, nl);
          buffered = buffered.slice(nl + 1);
          if (!line.trim()) continue;
          const event = JSON.parse(line) as { type: string; object: { metadata?: { name?: string } } };
          onEvent(event.type, event.object.metadata?.name ?? '');
        }
      });
    });
    req.on('error', () => {});
    req.end();
    return () => req.destroy();
  }

  close(): void {
    this.agent.destroy();
  }
}

function configMap(name: string): unknown {
  // About 1 KiB, like the raw-store figure the issue quotes.
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data: { payload: 'x'.repeat(900) } };
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function createNamespace(client: BenchClient, name: string): Promise<void> {
  const res = await client.request('POST', '/api/v1/namespaces', {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name },
  });
  if (res.status !== 201) throw new Error(`creating namespace ${name}: ${res.status} ${res.body}`);
}

async function createOrFail(client: BenchClient, namespace: string, name: string): Promise<void> {
  const res = await client.request('POST', `/api/v1/namespaces/${namespace}/configmaps`, configMap(name));
  if (res.status !== 201) throw new Error(`create ${namespace}/${name}: ${res.status} ${res.body}`);
}

async function sequentialCreates(client: BenchClient): Promise<number> {
  await createNamespace(client, 'bench-seq');
  const start = performance.now();
  for (let i = 0; i < SEQUENTIAL_CREATES; i++) await createOrFail(client, 'bench-seq', `cm-${i}`);
  return SEQUENTIAL_CREATES / ((performance.now() - start) / 1000);
}

async function concurrentCreates(client: BenchClient): Promise<{ perSecond: number; p99: number }> {
  await createNamespace(client, 'bench-conc');
  const latencies: number[] = [];
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < CONCURRENT_CREATES; i = next++) {
      const t0 = performance.now();
      await createOrFail(client, 'bench-conc', `cm-${i}`);
      latencies.push(performance.now() - t0);
    }
  };
  const start = performance.now();
  await Promise.all(Array.from({ length: CONCURRENT_CLIENTS }, worker));
  const seconds = (performance.now() - start) / 1000;
  latencies.sort((a, b) => a - b);
  return { perSecond: CONCURRENT_CREATES / seconds, p99: percentile(latencies, 99) };
}

/**
 * Latency from sending a create to receiving its watch event (the write's whole path: REST,
 * storage, NATS, watch cache, watch stream), at a steady paced rate.
 */
async function watchLatency(client: BenchClient): Promise<{ p50: number; p99: number; samples: number }> {
  await createNamespace(client, 'bench-watch');
  const sent = new Map<string, number>();
  const delivered = new Map<string, number>();
  const stop = client.watch('/api/v1/namespaces/bench-watch/configmaps?watch=1&resourceVersion=0', (type, name) => {
    if (type === 'ADDED') delivered.set(name, performance.now());
  });
  await new Promise((r) => setTimeout(r, 500));
  const interval = 1000 / WATCH_RATE_PER_SECOND;
  const start = performance.now();
  const inflight: Promise<void>[] = [];
  for (let i = 0; i < WATCH_SAMPLES; i++) {
    const due = start + i * interval;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    const name = `cm-${i}`;
    sent.set(name, performance.now());
    inflight.push(createOrFail(client, 'bench-watch', name));
  }
  await Promise.all(inflight);
  const deadline = performance.now() + 10_000;
  while (delivered.size < WATCH_SAMPLES && performance.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  stop();
  const latencies = [...sent].map(([name, t]) => (delivered.get(name) ?? Number.POSITIVE_INFINITY) - t);
  latencies.sort((a, b) => a - b);
  return { p50: percentile(latencies, 50), p99: percentile(latencies, 99), samples: latencies.length };
}

/** CPU seconds (user + system) a process has used so far, from /proc. */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  // After the command: state is field 3, so utime (14) and stime (15) sit at 11 and 12.
  const ticks = Number(fields[11]) + Number(fields[12]);
  return ticks / CLOCK_TICKS_PER_SECOND;
}

interface CpuShares {
  apiserver: number;
  natsServer: number;
  benchClient: number;
}

/** CPU seconds each process spent per wall-clock second of `phase`: where the time goes. */
async function measureCpu<T>(pids: { apiserver: number; natsServer: number }, phase: () => Promise<T>) {
  const before = { apiserver: cpuSeconds(pids.apiserver), natsServer: cpuSeconds(pids.natsServer) };
  const client = process.cpuUsage();
  const start = performance.now();
  const result = await phase();
  const wall = (performance.now() - start) / 1000;
  const clientUsage = process.cpuUsage(client);
  const shares: CpuShares = {
    apiserver: (cpuSeconds(pids.apiserver) - before.apiserver) / wall,
    natsServer: (cpuSeconds(pids.natsServer) - before.natsServer) / wall,
    benchClient: (clientUsage.user + clientUsage.system) / 1e6 / wall,
  };
  return { result, shares };
}

function rssMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return Math.round(kb / 1024);
}

async function waitReady(url: string, ca: Buffer, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`apiserver exited with ${child.exitCode}`);
    const ok = await new Promise<boolean>((resolve) => {
      https.get(`${url}/readyz`, { ca }, (res) => resolve(res.statusCode === 200)).on('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('apiserver did not become ready in 30 s');
}

function freePort(): number {
  // Port picked by the kernel, then released: good enough for a benchmark on loopback.
  const out = execFileSync(process.execPath, [
    '-e',
    "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})",
  ]);
  return Number(out.toString().trim());
}

async function main(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'tkube-bench-'));
  const nats = await startNatsServer({ dataDir: join(work, 'nats') });
  writeFileSync(join(work, 'tokens.csv'), `${TOKEN},bench\n`);
  const port = freePort();
  const apiserver = spawn(
    process.execPath,
    [
      // BENCH_CPU_PROFILE=dir writes a V8 CPU profile of the apiserver there, to see where time goes.
      ...(process.env.BENCH_CPU_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROFILE}`] : []),
      join(here, '../dist/main.js'),
      `--nats-servers=${nats.url}`,
      `--secure-port=${port}`,
      '--grpc-address=127.0.0.1:0',
      `--cert-dir=${join(work, 'pki')}`,
      `--token-file=${join(work, 'tokens.csv')}`,
      '--log-level=warn',
    ],
    { stdio: ['ignore', 'ignore', 'inherit'] },
  );
  try {
    const url = `https://127.0.0.1:${port}`;
    const deadline = Date.now() + 30_000;
    let ca: Buffer | undefined;
    while (!ca && Date.now() < deadline) {
      try {
        ca = readFileSync(join(work, 'pki', 'ca.crt'));
      } catch {
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    if (!ca) throw new Error('apiserver wrote no CA in 30 s');
    await waitReady(url, ca, apiserver);
    const client = new BenchClient(url, ca);
    console.log('bench: sequential creates ...');
    const sequential = await sequentialCreates(client);
    console.log('bench: concurrent creates ...');
    if (!apiserver.pid || !nats.pid) throw new Error('no pid for the apiserver or nats-server');
    const { result: concurrent, shares } = await measureCpu({ apiserver: apiserver.pid, natsServer: nats.pid }, () =>
      concurrentCreates(client),
    );
    console.log('bench: watch latency ...');
    const watch = await watchLatency(client);
    const figures: Figures = {
      sequentialCreatesPerSecond: Math.round(sequential),
      concurrentCreatesPerSecond: Math.round(concurrent.perSecond),
      concurrentClients: CONCURRENT_CLIENTS,
      createLatencyP99Ms: Number(concurrent.p99.toFixed(1)),
      watchLatencyP50Ms: Number(watch.p50.toFixed(2)),
      watchLatencyP99Ms: Number(watch.p99.toFixed(2)),
      watchSamples: watch.samples,
      apiserverRssMiB: apiserver.pid ? rssMiB(apiserver.pid) : 0,
      coresDuringConcurrentCreates: {
        apiserver: Number(shares.apiserver.toFixed(2)),
        natsServer: Number(shares.natsServer.toFixed(2)),
        benchClient: Number(shares.benchClient.toFixed(2)),
      },
    };
    client.close();
    writeResults(figures);
    console.log(JSON.stringify(figures, null, 2));
  } finally {
    apiserver.kill('SIGTERM');
    await nats.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

function writeResults(f: Figures): void {
  writeFileSync(join(here, 'results.json'), `${JSON.stringify({ date: new Date().toISOString(), ...f }, null, 2)}\n`);
  const md = `# apiserver benchmark

Written by \`npm run bench\` in services/apiserver on ${new Date().toISOString()}: a real apiserver
process on a real nats-server 2.9 (JetStream KV), REST over HTTPS on loopback, ConfigMaps of ~1 KiB.

| figure | value | goal |
| --- | --- | --- |
| creates/s, sequential (one client) | ${f.sequentialCreatesPerSecond} | |
| creates/s, ${f.concurrentClients} concurrent clients | ${f.concurrentCreatesPerSecond} | >= 5,000 |
| create latency p99 under that load | ${f.createLatencyP99Ms} ms | kube SLO: 1 s |
| watch delivery p50 (create sent -> event received), ${WATCH_RATE_PER_SECOND}/s | ${f.watchLatencyP50Ms} ms | |
| watch delivery p99 | ${f.watchLatencyP99Ms} ms | < 20 ms |
| apiserver RSS after the run | ${f.apiserverRssMiB} MiB | |

Where the time goes during the concurrent creates (cores used; the machine has 2):
apiserver ${f.coresDuringConcurrentCreates.apiserver}, nats-server ${f.coresDuringConcurrentCreates.natsServer},
the benchmark's own HTTPS client ${f.coresDuringConcurrentCreates.benchClient}.
`;
  writeFileSync(join(here, 'results.md'), md);
}

await main();
