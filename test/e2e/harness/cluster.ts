/**
 * A whole tkube cluster for one test file: `tkube up` (the BUILT cli) into a temporary
 * data dir on free ports, so e2e never meets a user's cluster on 6443/6444/4222.
 * destroy() always runs `tkube down` and removes the dir; a failed start cleans up too.
 *
 *   let cluster: TestCluster;
 *   beforeAll(async () => { cluster = await startTestCluster(); });
 *   afterAll(async () => { await cluster?.destroy(); });
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePorts } from './free-ports.js';
import { type Kubectl, kubectlFor } from './kubectl.js';
import { CLI_MAIN } from './paths.js';
import { RawApi } from './raw-api.js';
import { CommandFailedError, type RunResult, run } from './run.js';

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
  restUrl: string;
  token: string;
  caCert: string;
  kubectl: Kubectl;
  api: RawApi;
  /** Runs the built `tkube <command> --data-dir <dataDir>`; throws unless it exits 0. */
  tkube(command: 'up' | 'down' | 'status' | 'kubeconfig', extra?: string[]): Promise<RunResult>;
  /** Runs `tkube down` and removes the data dir. Safe to call twice. */
  destroy(): Promise<void>;
}

const TKUBE_TIMEOUT_MS = 150_000;

export async function startTestCluster(): Promise<TestCluster> {
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
  let destroyed: Promise<void> | undefined;
  const destroy = () => {
    destroyed ??= (async () => {
      try {
        await tkube('down');
      } finally {
        await rm(dataDir, { recursive: true, force: true });
      }
    })();
    return destroyed;
  };

  try {
    // The node's pod CIDR and bridge (10.244.2xx.0/24 on tkt2xx) stay clear of a user's cluster (tkube1, ...).
    const subnet = 200 + Math.floor(Math.random() * 51);
    await tkube('up', [
      '--port',
      String(apiserver),
      '--grpc-port',
      String(grpc),
      '--nats-port',
      String(nats),
      '--node-subnet-start',
      String(subnet),
      '--bridge-prefix',
      'tkt',
    ]);
    const kubeconfig = join(dataDir, 'kubeconfig');
    const token = (await readFile(join(dataDir, 'token'), 'utf8')).trim();
    const caCert = await readFile(join(dataDir, 'pki', 'ca.crt'), 'utf8');
    const restUrl = `https://127.0.0.1:${apiserver}`;
    return {
      dataDir,
      kubeconfig,
      ports,
      natsUrl: `nats://127.0.0.1:${nats}`,
      restUrl,
      token,
      caCert,
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

async function readLogs(dataDir: string): Promise<string> {
  const parts: string[] = [];
  for (const name of ['nats', 'apiserver']) {
    try {
      const text = await readFile(join(dataDir, 'logs', `${name}.log`), 'utf8');
      parts.push(`--- ${name}.log (last lines)\n${text.split('\n').slice(-15).join('\n')}`);
    } catch {
      // not started
    }
  }
  return parts.join('\n');
}
