/**
 * A throwaway cluster for the benchmark: the BUILT `tkube up` into a temporary data dir on
 * free ports, with its pods' range and bridge (10.244.(128+4r).0/22 on tkpb<r>-1) clear of
 * a user's cluster and of the tests' (10.244.2xx). teardown() always leaves the host as it
 * was: `tkube down --purge` when the CLI has it, else `tkube down`; then by hand whatever is
 * left of the bridge, its iptables chains and jumps, the containers labelled with the
 * bridge, and the data dir.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../../../bench-kit/free-port.ts';
import { type CommandResult, runCommand } from '../../../bench-kit/run-command.ts';
import { componentPids, killSurvivors } from '../../../bench-kit/tkube-cluster.ts';

const here = dirname(fileURLToPath(import.meta.url));
const CLI_MAIN = join(here, '../../../packages/cli/dist/main.js');
export const NODE_NAME = 'tkube-node-1';
/** cri-docker's container label naming the runtime instance (plugins/cri-docker). */
const INSTANCE_LABEL = 'io.tkube.cri.instance';

export interface BenchCluster {
  dataDir: string;
  restUrl: string;
  token: string;
  caCert: string;
  bridge: string;
  /** cri-docker's --instance for the node: the value of its containers' instance label. */
  runtimeInstance: string;
  upSeconds: number;
}

/** The half-made cluster teardown() must undo even when `up` failed. */
export interface ClusterHandle {
  dataDir: string;
  bridge: string;
  /** `tkube up --cluster-cidr` and `--bridge-prefix`. */
  clusterCidr: string;
  bridgePrefix: string;
}

export function planCluster(): ClusterHandle {
  const r = Math.floor(Math.random() * 16);
  const bridgePrefix = `tkpb${r}-`;
  return {
    dataDir: mkdtempSync(join(tmpdir(), 'tkube-podbench-')),
    bridge: `${bridgePrefix}1`,
    clusterCidr: `10.244.${128 + 4 * r}.0/22`,
    bridgePrefix,
  };
}

export async function startCluster(handle: ClusterHandle, timeoutMs: number): Promise<BenchCluster> {
  const [apiserver, grpc, nats] = [await freePort(), await freePort(), await freePort()];
  const started = performance.now();
  const up = await runCommand(
    process.execPath,
    [
      CLI_MAIN,
      'up',
      '--data-dir',
      handle.dataDir,
      '--port',
      String(apiserver),
      '--grpc-port',
      String(grpc),
      '--nats-port',
      String(nats),
      '--cluster-cidr',
      handle.clusterCidr,
      '--bridge-prefix',
      handle.bridgePrefix,
    ],
    timeoutMs,
  );
  if (up.code !== 0) throw new Error(`tkube up failed (${up.code}):\n${up.output.slice(-3000)}`);
  return {
    dataDir: handle.dataDir,
    restUrl: `https://127.0.0.1:${apiserver}`,
    token: readFileSync(join(handle.dataDir, 'token'), 'utf8').trim(),
    caCert: readFileSync(join(handle.dataDir, 'pki', 'ca.crt'), 'utf8'),
    bridge: handle.bridge,
    runtimeInstance: `${NODE_NAME}@${handle.bridge}`,
    upSeconds: (performance.now() - started) / 1000,
  };
}

/** Every step runs even when one before it failed; returns what went wrong, for the log. */
export async function teardown(handle: ClusterHandle, timeoutMs: number): Promise<string[]> {
  const problems: string[] = [];
  const step = async (what: string, file: string, args: string[]) => {
    const result = await runCommand(file, args, timeoutMs);
    if (result.code !== 0) problems.push(`${what}: exit ${result.code} ${result.output.trim().slice(-500)}`);
    return result;
  };
  const help = await runCommand(process.execPath, [CLI_MAIN, '--help'], 10_000);
  const canPurge = help.output.includes('--purge');
  // Read before down: --purge removes the pid files with the rest.
  const pids = Object.values(componentPids(handle.dataDir));
  const down = await step('tkube down', process.execPath, [
    CLI_MAIN,
    'down',
    '--data-dir',
    handle.dataDir,
    ...(canPurge ? ['--purge'] : []),
  ]);
  if (down.code !== 0) killSurvivors(pids, handle.dataDir, problems);
  // Without --purge this does the purge; after it, it finds what --purge left behind.
  const leftovers = await purgeByHand(handle, step);
  if (canPurge && leftovers.length > 0) problems.push(`left after tkube down --purge: ${leftovers.join(', ')}`);
  rmSync(handle.dataDir, { recursive: true, force: true });
  return problems;
}

type Step = (what: string, file: string, args: string[]) => Promise<CommandResult>;

/** Removes the cluster's containers, bridge and iptables chains; returns what it found. */
async function purgeByHand(handle: ClusterHandle, step: Step): Promise<string[]> {
  const { bridge } = handle;
  const found: string[] = [];
  const containers = await step('docker ps', 'docker', [
    'ps',
    '-a',
    '--filter',
    `label=${INSTANCE_LABEL}`,
    '--format',
    `{{.ID}} {{.Label "${INSTANCE_LABEL}"}}`,
  ]);
  const ours = containers.output
    .split('\n')
    .map((line) => line.trim().split(' '))
    .filter(([id, instance]) => id && instance?.endsWith(`@${bridge}`))
    .map(([id]) => id);
  if (ours.length > 0) {
    found.push(`${ours.length} containers`);
    await step('docker rm', 'docker', ['rm', '-f', ...ours]);
  }
  const links = await runCommand('ip', ['-o', 'link', 'show', 'dev', bridge], 10_000);
  if (links.code === 0) {
    found.push(`bridge ${bridge}`);
    await step('ip link del', 'ip', ['link', 'del', bridge]);
  }
  for (const [table, chain] of [
    ['nat', `TKUBE-MASQ-${bridge}`],
    ['filter', `TKUBE-FWD-${bridge}`],
  ] as const) {
    const rules = await runCommand('iptables', ['-w', '-t', table, '-S'], 10_000);
    const jumps = rules.output
      .split('\n')
      .filter((line) => line.startsWith('-A ') && line.includes(`-j ${chain}`) && !line.startsWith(`-A ${chain} `));
    if (jumps.length > 0) found.push(`${jumps.length} jumps to ${chain}`);
    for (const jump of jumps) {
      // "-A CHAIN match... -j TARGET" deleted by the same spec; iptables -S quotes comments with spaces.
      await step(`iptables -D (${table})`, 'iptables', ['-w', '-t', table, '-D', ...splitRule(jump.slice(3))]);
    }
    if (rules.output.split('\n').some((line) => line === `-N ${chain}`)) {
      found.push(`chain ${chain}`);
      await step(`iptables -F ${chain}`, 'iptables', ['-w', '-t', table, '-F', chain]);
      await step(`iptables -X ${chain}`, 'iptables', ['-w', '-t', table, '-X', chain]);
    }
  }
  return found;
}

/** Splits an iptables -S rule into arguments, honouring double quotes. */
function splitRule(rule: string): string[] {
  const args: string[] = [];
  const pattern = /"((?:[^"\\]|\\.)*)"|(\S+)/g;
  for (let match = pattern.exec(rule); match; match = pattern.exec(rule)) args.push(match[1] ?? match[2]);
  return args;
}

/** The cluster's logs' last lines, for a failure report. */
export function logTail(dataDir: string, component: string, lines: number): string {
  try {
    return readFileSync(join(dataDir, 'logs', `${component}.log`), 'utf8')
      .split('\n')
      .slice(-lines)
      .join('\n');
  } catch {
    return '(no log)';
  }
}
