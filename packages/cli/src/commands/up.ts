/**
 * `tkube up`: a pipeline of steps that ends with a running cluster, a kubeconfig and every
 * node Ready. Safe to repeat: what runs is left alone, what is missing is started.
 * The components to start are known once the data dir is prepared (the nodes are chosen
 * there), so the pipeline runs in two parts.
 */
import { mkdir, readFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { clusterNetworkOf } from '../cluster/cluster-network.js';
import { choosePorts, type Ports, readClusterSettings, writeClusterSettings } from '../cluster/cluster-settings.js';
import type { ClusterContext, Component } from '../cluster/component.js';
import { clusterComponents } from '../cluster/components.js';
import { ensureAdminToken } from '../cluster/credentials.js';
import { type DataDir, dataDir, MAX_UNIX_SOCKET_PATH, tooLongSocketPaths } from '../cluster/data-dir.js';
import { writeKubeconfig } from '../cluster/kubeconfig.js';
import { componentState, runningRecord, startComponent } from '../cluster/lifecycle.js';
import { tailLines } from '../cluster/log-tail.js';
import { nodeComponents } from '../cluster/node-components.js';
import { type ExpectedNode, listNodes, unreadyNodes } from '../cluster/node-readiness.js';
import {
  changedNodeOptions,
  chooseNodes,
  DEFAULT_NODE_OPTIONS,
  type NodeOptions,
  type NodePlan,
  type NodeSettings,
} from '../cluster/node-settings.js';
import { ensurePrerequisites } from '../cluster/prerequisites.js';
import type { Output } from '../steps/output.js';
import { runSteps, type Step, StepError } from '../steps/step-runner.js';

export interface UpOptions {
  dataDir: string;
  /** Ports asked for by flag; the rest come from DIR/cluster.json or the defaults. */
  ports: Partial<Ports>;
  /** Node options asked for by flag; they count at the first `up` only (then they must match). */
  nodes: Partial<NodeOptions>;
  /** --pod-eviction-timeout; without it, the one recorded in DIR (or the controller-manager's default). */
  podEvictionTimeout?: string;
}

const NODES_READY_TIMEOUT_MS = 60_000;
const NODES_POLL_INTERVAL_MS = 500;
const LOG_LINES_ON_FAILURE = 10;

interface UpContext {
  dir: DataDir;
  requested: Partial<Ports>;
  requestedNodes: Partial<NodeOptions>;
  requestedPodEvictionTimeout: string | undefined;
  output: Output;
  /** Set by "Preparing the data dir". */
  cluster?: ClusterContext;
  nodes?: NodePlan;
  token?: string;
}

export async function up(options: UpOptions, output: Output): Promise<number> {
  const dir = dataDir(options.dataDir);
  const recorded = await readClusterSettings(dir.clusterFile);
  if (recorded?.nodes && (await isUp({ dir, ports: recorded.ports }, recorded.nodes.nodes))) {
    assertSamePorts(options.ports, recorded.ports, dir);
    assertSameNodes(options.nodes, recorded.nodes, dir);
    assertSamePodEvictionTimeout(options.podEvictionTimeout, recorded.podEvictionTimeout, dir);
    output.info(`tkube is already up (data dir ${dir.root}).`);
    printUsage(dir, output);
    return 0;
  }

  output.info(`Starting tkube (data dir ${dir.root}) ...`);
  const runtime = options.nodes.runtime ?? recorded?.nodes?.options.runtime ?? DEFAULT_NODE_OPTIONS.runtime;
  const context: UpContext = {
    dir,
    requested: options.ports,
    requestedNodes: options.nodes,
    requestedPodEvictionTimeout: options.podEvictionTimeout,
    output,
  };
  const preparation: Step<UpContext>[] = [
    {
      title: 'Checking prerequisites',
      execute: async (c) => ({ detail: await ensurePrerequisites((l) => c.output.info(l), { runtime }) }),
    },
    { title: 'Preparing the data dir', execute: prepareDataDir },
  ];
  let outcome = await runSteps(preparation, context, output);
  if (outcome.ok) {
    const { nodes } = planOf(context);
    const starting: Step<UpContext>[] = [
      ...clusterComponents(nodes).map(startStep),
      { title: 'Writing the kubeconfig', execute: writeClusterKubeconfig },
      { title: `Waiting for ${nodes.length} node(s) to be Ready`, execute: waitForNodesReady },
    ];
    outcome = await runSteps(starting, context, output);
  }
  if (!outcome.ok) {
    output.info(`\nWhat started is still running; "tkube down --data-dir ${dir.root}" stops it.`);
    return 1;
  }
  output.info('');
  output.info('tkube is up.');
  printUsage(dir, output);
  return 0;
}

function startStep(component: Component): Step<UpContext> {
  return {
    title: `Starting ${component.displayName}`,
    execute: async (context) => ({ detail: await startComponent(component, clusterOf(context)) }),
  };
}

async function prepareDataDir(context: UpContext): Promise<{ detail: string }> {
  const { dir } = context;
  for (const sub of [dir.root, dir.nats, dir.logs, dir.run]) await mkdir(sub, { recursive: true });
  await mkdir(dir.pki, { recursive: true, mode: 0o700 });
  const recorded = await readClusterSettings(dir.clusterFile);
  if (recorded) {
    const components = clusterComponents(recorded.nodes?.nodes ?? []);
    const anyRunning = await Promise.all(components.map((c) => runningRecord(c, { dir, ports: recorded.ports })));
    if (anyRunning.some((r) => r !== undefined)) assertSamePorts(context.requested, recorded.ports, dir);
  }
  // Nodes, their pods' IPs and bridges exist from the first `up` on: the node flags must match.
  if (recorded?.nodes) assertSameNodes(context.requestedNodes, recorded.nodes, dir);
  const ports = await choosePorts(context.requested, recorded?.ports);
  const nodes = await chooseNodes(context.requestedNodes, recorded?.nodes, new Set(Object.values(ports)));
  assertSocketPathsFit(dir, nodes.nodes);
  for (const node of nodes.nodes) {
    const paths = dir.nodeOf(node.name);
    for (const sub of [paths.run, paths.criRoot, paths.cniState, paths.kubeletRoot]) {
      await mkdir(sub, { recursive: true });
    }
  }
  const podEvictionTimeout = context.requestedPodEvictionTimeout ?? recorded?.podEvictionTimeout;
  const tuning = podEvictionTimeout ? { podEvictionTimeout } : {};
  await writeClusterSettings(dir.clusterFile, { ports, nodes, ...tuning });
  context.token = await ensureAdminToken(dir.token, dir.tokenFile);
  context.cluster = { dir, ports, network: clusterNetworkOf(nodes.options), ...tuning };
  context.nodes = nodes;
  return {
    detail: `https ${ports.apiserver}, grpc ${ports.grpc}, nats ${ports.nats}; ${nodes.nodes.length} node(s) on ${nodes.options.runtime}, pods in ${nodes.options.clusterCidr}`,
  };
}

async function writeClusterKubeconfig(context: UpContext): Promise<{ detail: string }> {
  const cluster = clusterOf(context);
  const token = context.token ?? (await ensureAdminToken(cluster.dir.token, cluster.dir.tokenFile));
  await writeKubeconfig(cluster.dir.kubeconfig, {
    server: `https://127.0.0.1:${cluster.ports.apiserver}`,
    caCertPem: await readFile(cluster.dir.caCert, 'utf8'),
    token,
  });
  return { detail: cluster.dir.kubeconfig };
}

/** Polls the apiserver until every node's current kubelet has posted Ready=True. */
async function waitForNodesReady(context: UpContext): Promise<{ detail: string }> {
  const cluster = clusterOf(context);
  const { nodes } = planOf(context);
  const token = context.token ?? (await ensureAdminToken(cluster.dir.token, cluster.dir.tokenFile));
  const ca = await readFile(cluster.dir.caCert, 'utf8');
  const server = `https://127.0.0.1:${cluster.ports.apiserver}`;
  const expected: ExpectedNode[] = [];
  for (const node of nodes) {
    const record = await runningRecord(nodeComponents(node).kubelet, cluster);
    if (!record) throw await kubeletFailure(`the kubelet of ${node.name} is not running`, [node], cluster.dir);
    expected.push({ name: node.name, kubeletStartedAt: new Date(record.startedAt) });
  }

  const started = Date.now();
  let unready = expected.map(({ name }) => ({ name, why: 'not checked yet' }));
  let lastError: unknown;
  while (Date.now() - started < NODES_READY_TIMEOUT_MS) {
    try {
      unready = unreadyNodes(await listNodes(server, ca, token), expected);
      lastError = undefined;
      if (unready.length === 0) {
        return { detail: `${nodes.map((n) => n.name).join(', ')} (${((Date.now() - started) / 1000).toFixed(1)}s)` };
      }
    } catch (err) {
      lastError = err;
    }
    await sleep(NODES_POLL_INTERVAL_MS);
  }
  const which = unready.map(({ name, why }) => `${name}: ${why}`).join('; ');
  const asked = lastError instanceof Error ? ` (last request: ${lastError.message})` : '';
  const stuck = nodes.filter((n) => unready.some((u) => u.name === n.name));
  throw await kubeletFailure(
    `not every node was Ready after ${NODES_READY_TIMEOUT_MS / 1000}s: ${which}${asked}`,
    stuck,
    cluster.dir,
  );
}

async function kubeletFailure(message: string, nodes: readonly NodeSettings[], dir: DataDir): Promise<StepError> {
  const hints: string[] = [];
  for (const node of nodes) {
    const logFile = dir.logOf(nodeComponents(node).kubelet.name);
    hints.push(`log: ${logFile}`);
    const lines = await tailLines(logFile, LOG_LINES_ON_FAILURE);
    if (lines.length > 0) hints.push('last lines:', ...lines.map((l) => `  ${l}`));
  }
  return new StepError(message, hints);
}

async function isUp(context: ClusterContext, nodes: readonly NodeSettings[]): Promise<boolean> {
  for (const component of clusterComponents(nodes)) {
    if (!(await componentState(component, context)).ready) return false;
  }
  return true;
}

function assertSamePorts(requested: Partial<Ports>, recorded: Ports, dir: DataDir): void {
  const changed = (Object.keys(requested) as Array<keyof Ports>).filter(
    (name) => requested[name] !== undefined && requested[name] !== recorded[name],
  );
  if (changed.length === 0) return;
  const now = changed.map((name) => `${name} ${recorded[name]}`).join(', ');
  throw new StepError(`the cluster in ${dir.root} is running on other ports (${now})`, [
    `run "tkube down --data-dir ${dir.root}" first to change them`,
  ]);
}

function assertSameNodes(requested: Partial<NodeOptions>, recorded: NodePlan, dir: DataDir): void {
  const changed = changedNodeOptions(requested, recorded.options);
  if (changed.length === 0) return;
  throw new StepError(`the cluster in ${dir.root} was made with other nodes: ${changed.join(', ')}`, [
    'the nodes are chosen at the first "tkube up" and kept (its Node objects and pods depend on them);',
    'run "tkube up" without these flags to start the cluster as it is, or start over:',
    `"tkube down --purge --data-dir ${dir.root}" (every object goes with it), then "tkube up" with the new flags`,
  ]);
}

function assertSamePodEvictionTimeout(requested: string | undefined, recorded: string | undefined, dir: DataDir): void {
  if (requested === undefined || requested === recorded) return;
  throw new StepError(
    `the controller-manager of ${dir.root} runs with ${recorded ? `--pod-eviction-timeout ${recorded}` : 'the default --pod-eviction-timeout (300s)'}`,
    [`run "tkube down --data-dir ${dir.root}" first, then "tkube up --pod-eviction-timeout ${requested}"`],
  );
}

function assertSocketPathsFit(dir: DataDir, nodes: readonly NodeSettings[]): void {
  const tooLong = tooLongSocketPaths(
    dir,
    nodes.map((n) => n.name),
  );
  const first = tooLong[0];
  if (!first) return;
  throw new StepError(
    `the data dir's path is too long for the nodes' unix sockets: ${first.path} has ${first.bytes} bytes`,
    [`a unix socket path holds at most ${MAX_UNIX_SOCKET_PATH} bytes; use a shorter --data-dir`],
  );
}

function clusterOf(context: UpContext): ClusterContext {
  if (!context.cluster) throw new Error('the data dir was not prepared');
  return context.cluster;
}

function planOf(context: UpContext): NodePlan {
  if (!context.nodes) throw new Error('the data dir was not prepared');
  return context.nodes;
}

function printUsage(dir: DataDir, output: Output): void {
  output.info('Use it with kubectl:');
  output.info('');
  output.info(`  export KUBECONFIG=${dir.kubeconfig}`);
  output.info('  kubectl get nodes');
  output.info('');
  output.info(`Logs are in ${dir.logs}; "tkube status" shows each component, "tkube down" stops them (data stays).`);
}
