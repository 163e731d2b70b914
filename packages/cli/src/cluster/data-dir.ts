/**
 * The layout of a cluster's data dir (default ~/.tkube). Everything a cluster keeps lives
 * here, so `tkube down` + `tkube up` on the same dir brings back the same cluster.
 *
 *   cluster.json        the ports and nodes chosen at the first `up`
 *   token, tokens.csv   the admin bearer token, and the apiserver's static token file
 *   kubeconfig          for kubectl and client libraries
 *   nats/               JetStream's store (every object)
 *   pki/                CA and serving certificate (made by the apiserver)
 *   logs/<name>.log     each component's output
 *   run/<name>.pid      each running component: pid, command line, address
 *   run/<node>/         the node's plugin sockets: cri.sock, cni.sock
 *   nodes/<node>/       the node's state: cri/ (runtime), cni/ (IPAM), kubelet/ (pods, logs)
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
  nodeOf(node: string): NodeDirs;
}

export interface NodeDirs {
  /** Holds the sockets; short on purpose (unix socket paths are limited). */
  run: string;
  criSocket: string;
  cniSocket: string;
  criRoot: string;
  cniState: string;
  kubeletRoot: string;
}

/** sun_path holds 108 bytes with the terminating NUL. */
export const MAX_UNIX_SOCKET_PATH = 107;

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
    nodeOf: (node) => ({
      run: join(abs, 'run', node),
      criSocket: join(abs, 'run', node, 'cri.sock'),
      cniSocket: join(abs, 'run', node, 'cni.sock'),
      criRoot: join(abs, 'nodes', node, 'cri'),
      cniState: join(abs, 'nodes', node, 'cni'),
      kubeletRoot: join(abs, 'nodes', node, 'kubelet'),
    }),
  };
}

/** The node socket paths too long to bind, with their length in bytes. */
export function tooLongSocketPaths(dir: DataDir, nodes: readonly string[]): Array<{ path: string; bytes: number }> {
  return nodes
    .flatMap((node) => [dir.nodeOf(node).criSocket, dir.nodeOf(node).cniSocket])
    .map((path) => ({ path, bytes: Buffer.byteLength(path) }))
    .filter(({ bytes }) => bytes > MAX_UNIX_SOCKET_PATH);
}
