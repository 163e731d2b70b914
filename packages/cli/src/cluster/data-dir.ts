/**
 * The layout of a cluster's data dir (default ~/.tkube). Everything a cluster keeps lives
 * here, so `tkube down` + `tkube up` on the same dir brings back the same cluster.
 *
 *   cluster.json        the ports chosen at the first `up`
 *   token, tokens.csv   the admin bearer token, and the apiserver's static token file
 *   kubeconfig          for kubectl and client libraries
 *   nats/               JetStream's store (every object)
 *   pki/                CA and serving certificate (made by the apiserver)
 *   logs/<name>.log     each component's output
 *   run/<name>.pid      each running component: pid, command line, address
 */
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

export interface DataDir {
  root: string;
  clusterFile: string;
  token: string;
  tokenFile: string;
  kubeconfig: string;
  nats: string;
  pki: string;
  caCert: string;
  logs: string;
  run: string;
  logOf(component: string): string;
  pidFileOf(component: string): string;
}

export const DEFAULT_DATA_DIR = join(homedir(), '.tkube');

export function dataDir(root: string = DEFAULT_DATA_DIR): DataDir {
  const abs = resolve(root);
  return {
    root: abs,
    clusterFile: join(abs, 'cluster.json'),
    token: join(abs, 'token'),
    tokenFile: join(abs, 'tokens.csv'),
    kubeconfig: join(abs, 'kubeconfig'),
    nats: join(abs, 'nats'),
    pki: join(abs, 'pki'),
    caCert: join(abs, 'pki', 'ca.crt'),
    logs: join(abs, 'logs'),
    run: join(abs, 'run'),
    logOf: (component) => join(abs, 'logs', `${component}.log`),
    pidFileOf: (component) => join(abs, 'run', `${component}.pid`),
  };
}
