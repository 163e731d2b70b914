/**
 * `tkube up`: a pipeline of steps that ends with a running cluster and a kubeconfig.
 * Safe to repeat: what runs is left alone, what is missing is started.
 */
import { mkdir, readFile } from 'node:fs/promises';
import { choosePorts, type Ports, readClusterSettings, writeClusterSettings } from '../cluster/cluster-settings.js';
import type { ClusterContext, Component } from '../cluster/component.js';
import { COMPONENTS } from '../cluster/components.js';
import { ensureAdminToken } from '../cluster/credentials.js';
import { type DataDir, dataDir } from '../cluster/data-dir.js';
import { writeKubeconfig } from '../cluster/kubeconfig.js';
import { componentState, runningRecord, startComponent } from '../cluster/lifecycle.js';
import { ensurePrerequisites } from '../cluster/prerequisites.js';
import type { Output } from '../steps/output.js';
import { runSteps, type Step, StepError } from '../steps/step-runner.js';

export interface UpOptions {
  dataDir: string;
  /** Ports asked for by flag; the rest come from DIR/cluster.json or the defaults. */
  ports: Partial<Ports>;
}

interface UpContext {
  dir: DataDir;
  requested: Partial<Ports>;
  output: Output;
  /** Set by "Preparing the data dir". */
  cluster?: ClusterContext;
  token?: string;
}

export async function up(options: UpOptions, output: Output): Promise<number> {
  const dir = dataDir(options.dataDir);
  const recorded = await readClusterSettings(dir.clusterFile);
  if (recorded && (await isUp({ dir, ports: recorded.ports }))) {
    assertSamePorts(options.ports, recorded.ports, dir);
    output.info(`tkube is already up (data dir ${dir.root}).`);
    printUsage(dir, output);
    return 0;
  }

  output.info(`Starting tkube (data dir ${dir.root}) ...`);
  const steps: Step<UpContext>[] = [
    {
      title: 'Checking prerequisites',
      execute: async (c) => ({ detail: await ensurePrerequisites((l) => c.output.info(l)) }),
    },
    { title: 'Preparing the data dir', execute: prepareDataDir },
    ...COMPONENTS.map(startStep),
    { title: 'Writing the kubeconfig', execute: writeClusterKubeconfig },
  ];
  const outcome = await runSteps(steps, { dir, requested: options.ports, output }, output);
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
  const recorded = (await readClusterSettings(dir.clusterFile))?.ports;
  if (recorded) {
    const anyRunning = await Promise.all(COMPONENTS.map((c) => runningRecord(c, { dir, ports: recorded })));
    if (anyRunning.some((r) => r !== undefined)) assertSamePorts(context.requested, recorded, dir);
  }
  const ports = await choosePorts(context.requested, recorded);
  await writeClusterSettings(dir.clusterFile, { ports });
  context.token = await ensureAdminToken(dir.token, dir.tokenFile);
  context.cluster = { dir, ports };
  return { detail: `https ${ports.apiserver}, grpc ${ports.grpc}, nats ${ports.nats}` };
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

async function isUp(context: ClusterContext): Promise<boolean> {
  for (const component of COMPONENTS) {
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

function clusterOf(context: UpContext): ClusterContext {
  if (!context.cluster) throw new Error('the data dir was not prepared');
  return context.cluster;
}

function printUsage(dir: DataDir, output: Output): void {
  output.info('Use it with kubectl:');
  output.info('');
  output.info(`  export KUBECONFIG=${dir.kubeconfig}`);
  output.info('  kubectl get ns');
  output.info('');
  output.info(`Logs are in ${dir.logs}; "tkube status" shows each component, "tkube down" stops them (data stays).`);
}
