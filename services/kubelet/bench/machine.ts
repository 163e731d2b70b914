/**
 * What the machine did during the run: CPU seconds per process (from /proc/<pid>/stat, as
 * api-bench.ts measures), split into the cluster's processes, the container engine and
 * everyone else, plus the load average, so a slow figure can be told apart from a busy
 * machine (other helpers' tests share the 2 cores).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** USER_HZ: 100 on Linux x86_64. */
const CLOCK_TICKS_PER_SECOND = 100;

interface ProcessSample {
  cpuSeconds: number;
  /** CPU seconds of its children that exited and were reaped (ip, iptables, runc, ...). */
  childSeconds: number;
  /** Clock ticks after boot at which it started: with the pid, who it is (pids are reused). */
  startTicks: number;
  comm: string;
  args: string;
}

/** Machine-wide CPU seconds (all cores) from /proc/stat's first line. */
interface CpuTotals {
  busy: number;
  iowait: number;
  steal: number;
}

export interface ProcessTable {
  processes: Map<number, ProcessSample>;
  totals: CpuTotals;
  /** PSI "some" stall totals in microseconds: time some runnable task waited for a CPU, for I/O. */
  pressure: { cpu: number; io: number };
  at: number;
}

function cpuTotals(): CpuTotals {
  const [user, nice, system, , iowait, irq, softirq, steal] = readFileSync('/proc/stat', 'utf8')
    .split('\n')[0]
    .trim()
    .split(/\s+/)
    .slice(1)
    .map(Number);
  return {
    busy: (user + nice + system + irq + softirq) / CLOCK_TICKS_PER_SECOND,
    iowait: iowait / CLOCK_TICKS_PER_SECOND,
    steal: (steal ?? 0) / CLOCK_TICKS_PER_SECOND,
  };
}

/** The "some" total of /proc/pressure/<kind> (0 where the kernel has no PSI). */
function pressureTotal(kind: 'cpu' | 'io'): number {
  try {
    const some = readFileSync(`/proc/pressure/${kind}`, 'utf8').split('\n')[0];
    return Number(/total=(\d+)/.exec(some)?.[1] ?? 0);
  } catch {
    return 0;
  }
}

/**
 * CPU seconds (user + system) a process has used so far, and those of its reaped children;
 * undefined once it is gone.
 */
export function cpuSeconds(pid: number): { own: number; children: number; startTicks: number } | undefined {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    // After the command: state is field 3, so utime (14), stime (15), cutime (16) and
    // cstime (17) sit at 11 to 14, and starttime (22) at 19.
    const ticks = (i: number) => Number(fields[i]);
    return {
      own: (ticks(11) + ticks(12)) / CLOCK_TICKS_PER_SECOND,
      children: (ticks(13) + ticks(14)) / CLOCK_TICKS_PER_SECOND,
      startTicks: ticks(19),
    };
  } catch {
    return undefined;
  }
}

/** Every process's CPU seconds so far, with its name and command line. */
export function sampleProcesses(): ProcessTable {
  const processes = new Map<number, ProcessSample>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    const seconds = cpuSeconds(pid);
    if (seconds === undefined) continue;
    try {
      const comm = readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
      const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
      processes.set(pid, {
        cpuSeconds: seconds.own,
        childSeconds: seconds.children,
        startTicks: seconds.startTicks,
        comm,
        args,
      });
    } catch {
      // Exited between the reads.
    }
  }
  return {
    processes,
    totals: cpuTotals(),
    pressure: { cpu: pressureTotal('cpu'), io: pressureTotal('io') },
    at: performance.now(),
  };
}

/** The cluster's processes: DATA_DIR/run/<name>.pid holds JSON with the pid. */
export function clusterPids(dataDir: string): Map<number, string> {
  const names = new Map<number, string>();
  const runDir = join(dataDir, 'run');
  for (const file of readdirSync(runDir)) {
    if (!file.endsWith('.pid')) continue;
    try {
      const record = JSON.parse(readFileSync(join(runDir, file), 'utf8')) as { pid?: unknown };
      if (typeof record.pid === 'number') names.set(record.pid, file.slice(0, -'.pid'.length));
    } catch {
      // A pid file being rewritten: that process is not measured.
    }
  }
  return names;
}

export interface CpuUse {
  /** Cores (CPU seconds per wall second) per cluster process, by component name. */
  cluster: Record<string, number>;
  /** Cores used by dockerd, containerd and the containerd shims. */
  engine: Record<string, number>;
  /**
   * Cores used by the short-lived children of those processes (cni-bridge's ip, iptables
   * and nsenter; the shims' runc), by parent name.
   */
  children: Record<string, number>;
  benchmark: number;
  /**
   * Kernel threads (kworkers and the like: no command line): partly the containers' mounts,
   * cgroups and namespaces, partly the machine's own background.
   */
  kernel: number;
  /**
   * Cores used by everything else: the whole machine's busy time minus the above (so it
   * holds processes that exited during the run too), and the busiest still running.
   */
  others: number;
  busiestOthers: string[];
  /** The whole machine from /proc/stat: cores busy, waiting for I/O, stolen by the hypervisor. */
  machine: { busyCores: number; iowaitCores: number; stealCores: number };
  /** Share of the run's wall time in which some runnable task waited for a CPU, for I/O (PSI). */
  pressurePercent: { cpu: number; io: number };
  wallSeconds: number;
}

/**
 * Cores used between two samples. A process started in between counts from zero (the
 * shims of new containers); the children a process reaped in between count with it.
 */
export function cpuUseBetween(before: ProcessTable, after: ProcessTable, cluster: Map<number, string>): CpuUse {
  const wall = (after.at - before.at) / 1000;
  const use: CpuUse = {
    cluster: {},
    engine: {},
    children: {},
    benchmark: 0,
    kernel: 0,
    others: 0,
    busiestOthers: [],
    machine: { busyCores: 0, iowaitCores: 0, stealCores: 0 },
    pressurePercent: { cpu: 0, io: 0 },
    wallSeconds: wall,
  };
  const others: Array<{ cores: number; line: string }> = [];
  const add = (record: Record<string, number>, name: string, cores: number) => {
    record[name] = (record[name] ?? 0) + cores;
  };
  for (const [pid, sample] of after.processes) {
    const start = before.processes.get(pid);
    // Not by name: kworkers rename themselves after the work they do.
    const sameProcess = start !== undefined && start.startTicks === sample.startTicks;
    const cores = (sample.cpuSeconds - (sameProcess ? start.cpuSeconds : 0)) / wall;
    const childCores = (sample.childSeconds - (sameProcess ? start.childSeconds : 0)) / wall;
    const component = cluster.get(pid);
    const group = component
      ? { record: use.cluster, name: component }
      : sample.comm === 'dockerd' || sample.comm === 'containerd'
        ? { record: use.engine, name: sample.comm }
        : sample.comm.startsWith('containerd-shim')
          ? { record: use.engine, name: 'containerd-shims' }
          : undefined;
    if (group) {
      add(group.record, group.name, cores);
      if (childCores > 0) add(use.children, group.name, childCores);
    } else if (pid === process.pid) use.benchmark += cores + childCores;
    else if (sample.args === '') use.kernel += cores;
    else if (cores >= 0.01) {
      // Not summed: a reaped child's time may predate the run; "others" comes from /proc/stat.
      others.push({ cores, line: `${cores.toFixed(2)} ${sample.args || sample.comm}`.slice(0, 120) });
    }
  }
  others.sort((a, b) => b.cores - a.cores);
  use.busiestOthers = others.slice(0, 5).map((o) => o.line);
  const round = (record: Record<string, number>) => {
    for (const key of Object.keys(record)) record[key] = Number(record[key].toFixed(2));
  };
  const ours =
    Object.values(use.cluster).reduce((a, b) => a + b, 0) +
    Object.values(use.engine).reduce((a, b) => a + b, 0) +
    Object.values(use.children).reduce((a, b) => a + b, 0) +
    use.benchmark +
    use.kernel;
  const busy = (after.totals.busy - before.totals.busy) / wall;
  use.machine = {
    busyCores: Number(busy.toFixed(2)),
    iowaitCores: Number(((after.totals.iowait - before.totals.iowait) / wall).toFixed(2)),
    stealCores: Number(((after.totals.steal - before.totals.steal) / wall).toFixed(2)),
  };
  use.others = Math.max(0, busy - ours);
  const stalled = (kind: 'cpu' | 'io') => (after.pressure[kind] - before.pressure[kind]) / 1e6 / wall;
  use.pressurePercent = {
    cpu: Math.round(stalled('cpu') * 100),
    io: Math.round(stalled('io') * 100),
  };
  round(use.cluster);
  round(use.engine);
  round(use.children);
  use.benchmark = Number(use.benchmark.toFixed(2));
  use.kernel = Number(use.kernel.toFixed(2));
  use.others = Number(use.others.toFixed(2));
  return use;
}

export function loadAverage(): [number, number, number] {
  const [one = 0, five = 0, fifteen = 0] = readFileSync('/proc/loadavg', 'utf8').split(' ').map(Number);
  return [one, five, fifteen];
}
