/**
 * A whole tkube cluster for one test file: `tkube up` (the BUILT cli) into a temporary
 * data dir on free ports, so e2e never meets a user's cluster on 6443/6444/4222.
 * destroy() always runs `tkube down --purge`, which also removes the nodes' containers,
 * veths, iptables chains and bridges and the dir; a failed start cleans up too.
 *
 *   let cluster: TestCluster;
 *   beforeAll(async () => { cluster = await startTestCluster(); });   // or ({ upFlags: ['--runtime', 'fake'] })
 *   afterAll(async () => { await cluster?.destroy(); });
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePorts } from './free-ports.js';
import { type Kubectl, kubectlFor } from './kubectl.js';
import { claimNetworkSlot } from './network-slots.js';
import { CLI_MAIN } from './paths.js';
import { RawApi } from './raw-api.js';
import { CommandFailedError, type RunResult, run } from './run.js';

/** A node as cluster.json records it (its podCIDR is node IPAM's: read it from the Node). */
export interface TestNode {
  name: string;
  bridge: string;
  kubeletPort: number;
  runtime: string;
}

export interface TestClusterOptions {
  /** More flags for the first `tkube up` (`--runtime fake`, `--nodes 2`). */
  upFlags?: string[];
}

export interface ClusterPorts {
  apiserver: number;
  grpc: number;
  nats: number;
}

export interface TestCluster {
  dataDir: string;
  kubeconfig: string;
  ports: ClusterPorts;
  natsUrl: string;
  /** The pods' range this cluster was given (`tkube up --cluster-cidr`). */
  clusterCidr: string;
  /** Its Services' range and NodePorts (`--service-cidr`, `--service-node-port-range`). */
  serviceCidr: string;
  nodePortRange: string;
  restUrl: string;
  token: string;
  caCert: string;
  nodes: TestNode[];
  kubectl: Kubectl;
  api: RawApi;
  /** Runs the built `tkube <command> --data-dir <dataDir>`; throws unless it exits 0. */
  tkube(command: 'up' | 'down' | 'status' | 'kubeconfig', extra?: string[]): Promise<RunResult>;
  /** Runs `tkube down --purge` (and removes the data dir whatever it left). Safe to call twice. */
  destroy(): Promise<void>;
}

const TKUBE_TIMEOUT_MS = 150_000;

/** A port chosen free can be taken before it is bound (by another cluster on this host). */
const START_ATTEMPTS = 2;
const PORT_RACE = /is taken by another program|EADDRINUSE/;

export async function startTestCluster(options: TestClusterOptions = {}): Promise<TestCluster> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(options);
    } catch (err) {
      const lost = err instanceof Error && PORT_RACE.test(err.message);
      if (!lost || attempt >= START_ATTEMPTS) throw err;
    }
  }
}

async function startOnce(options: TestClusterOptions): Promise<TestCluster> {
  const dataDir = await mkdtemp(join(tmpdir(), 'tkube-e2e-'));
  const [apiserver = 0, grpc = 0, nats = 0] = await freePorts(3);
  const ports = { apiserver, grpc, nats };

  const tkube = async (command: string, extra: string[] = []) => {
    const result = await run(process.execPath, [CLI_MAIN, command, '--data-dir', dataDir, ...extra], {
      timeoutMs: TKUBE_TIMEOUT_MS,
    });
    if (result.code !== 0) throw new CommandFailedError(`tkube ${command}`, withOutput(result));
    return result;
  };
  // The pods' range and the bridges (10.244.2xx.0/22 on tkt<slot>n1...) stay clear of a
  // user's cluster (10.244.0.0/16 from 10.244.0.0/24 up, tkube1, ...) and of other test clusters.
  const slot = await claimNetworkSlot();
  let destroyed: Promise<void> | undefined;
  const destroy = () => {
    destroyed ??= (async () => {
      try {
        await tkube('down', ['--purge']);
      } finally {
        await rm(dataDir, { recursive: true, force: true });
        await slot.release();
      }
    })();
    return destroyed;
  };

  try {
    await tkube('up', [
      '--port',
      String(apiserver),
      '--grpc-port',
      String(grpc),
      '--nats-port',
      String(nats),
      '--cluster-cidr',
      slot.clusterCidr,
      '--bridge-prefix',
      slot.bridgePrefix,
      '--service-cidr',
      slot.serviceCidr,
      '--service-node-port-range',
      slot.nodePortRange,
      ...(options.upFlags ?? []),
    ]);
    const kubeconfig = join(dataDir, 'kubeconfig');
    const token = (await readFile(join(dataDir, 'token'), 'utf8')).trim();
    const caCert = await readFile(join(dataDir, 'pki', 'ca.crt'), 'utf8');
    const restUrl = `https://127.0.0.1:${apiserver}`;
    const recorded = JSON.parse(await readFile(join(dataDir, 'cluster.json'), 'utf8')) as { nodes?: TestNode[] };
    return {
      dataDir,
      kubeconfig,
      ports,
      natsUrl: `nats://127.0.0.1:${nats}`,
      clusterCidr: slot.clusterCidr,
      serviceCidr: slot.serviceCidr,
      nodePortRange: slot.nodePortRange,
      restUrl,
      token,
      caCert,
      nodes: recorded.nodes ?? [],
      kubectl: kubectlFor(kubeconfig),
      api: new RawApi(restUrl, caCert, token),
      tkube,
      destroy,
    };
  } catch (err) {
    const logs = await readLogs(dataDir);
    await destroy().catch(() => undefined);
    throw new Error(`the test cluster did not start: ${err instanceof Error ? err.message : String(err)}\n${logs}`, {
      cause: err,
    });
  }
}

function withOutput(result: RunResult): RunResult {
  return { ...result, stderr: `${result.stdout}\n${result.stderr}` };
}

export async function readLogs(
  dataDir: string,
  names = ['nats', 'apiserver', 'kubelet-tkube-node-1'],
): Promise<string> {
  const parts: string[] = [];
  for (const name of names) {
    try {
      const text = await readFile(join(dataDir, 'logs', `${name}.log`), 'utf8');
      parts.push(`--- ${name}.log (last lines)\n${text.split('\n').slice(-15).join('\n')}`);
    } catch {
      // not started
    }
  }
  return parts.join('\n');
}
