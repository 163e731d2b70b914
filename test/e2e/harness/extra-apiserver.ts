/**
 * A second apiserver process on the test cluster's NATS (what an HA set-up runs on each
 * control-plane host), with its own ports and the cluster's CA and tokens.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { TestCluster } from './cluster.js';
import { freePorts } from './free-ports.js';
import { type Kubectl, kubectlFor } from './kubectl.js';
import { APISERVER_MAIN } from './paths.js';
import { RawApi } from './raw-api.js';
import { waitUntil } from './wait.js';

export interface ExtraApiServer {
  restUrl: string;
  kubeconfig: string;
  kubectl: Kubectl;
  api: RawApi;
  log(): string;
  stop(): Promise<void>;
}

export async function startExtraApiServer(cluster: TestCluster, name: string): Promise<ExtraApiServer> {
  const [https = 0, grpc = 0] = await freePorts(2);
  let log = '';
  const child: ChildProcess = spawn(
    process.execPath,
    [
      APISERVER_MAIN,
      '--storage',
      'nats',
      '--nats-servers',
      cluster.natsUrl,
      '--secure-port',
      String(https),
      '--grpc-address',
      `127.0.0.1:${grpc}`,
      '--cert-dir',
      join(cluster.dataDir, 'pki'),
      '--token-file',
      join(cluster.dataDir, 'tokens.csv'),
      // The cluster's ranges, as `tkube up` gives its apiserver: both serve the same Services.
      '--service-cluster-ip-range',
      cluster.serviceCidr,
      '--service-node-port-range',
      cluster.nodePortRange,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  child.stdout?.on('data', (d: Buffer) => {
    log += d.toString('utf8');
  });
  child.stderr?.on('data', (d: Buffer) => {
    log += d.toString('utf8');
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
  };

  const restUrl = `https://127.0.0.1:${https}`;
  const api = new RawApi(restUrl, cluster.caCert, cluster.token);
  try {
    await waitUntil(
      `${name} to be ready`,
      async () => {
        if (child.exitCode !== null) throw new Error(`${name} exited (${child.exitCode}):\n${log}`);
        return api.request('/readyz').then(
          (r) => r.status === 200,
          () => false,
        );
      },
      30_000,
    );
  } catch (err) {
    await stop();
    throw err;
  }
  const kubeconfig = join(cluster.dataDir, `kubeconfig-${name}`);
  const original = await readFile(cluster.kubeconfig, 'utf8');
  await writeFile(kubeconfig, original.replace(cluster.restUrl, restUrl), { mode: 0o600 });
  return { restUrl, kubeconfig, kubectl: kubectlFor(kubeconfig), api, log: () => log, stop };
}
