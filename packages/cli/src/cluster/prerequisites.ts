/**
 * What `tkube up` needs on the machine. When a program (or a running Docker engine) is
 * missing and we run as root, deploy/install.sh (idempotent) installs it; otherwise the
 * user is told how. Nodes need root: their network plugin makes bridges and NAT rules.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { StepError } from '../steps/step-runner.js';
import {
  APISERVER_MAIN,
  CNI_BRIDGE_MAIN,
  CONTROLLER_MANAGER_MAIN,
  CRI_DOCKER_MAIN,
  CRI_FAKE_MAIN,
  DNS_MAIN,
  KUBELET_MAIN,
  PROXY_MAIN,
  SCHEDULER_MAIN,
} from './built-programs.js';
import { findExecutable } from './executables.js';
import { DOCKER_SOCKET } from './node-components.js';
import type { NodeRuntime } from './node-settings.js';
import { probeUnixSocket } from './probes.js';
import { REPO_ROOT } from './repo-root.js';

export const INSTALL_SCRIPT = join(REPO_ROOT, 'deploy', 'install.sh');
const MIN_NODE_MAJOR = 22;

/** Programs the running components need, with the override variable each honours. */
const PROGRAMS: ReadonlyArray<{ name: string; env?: string }> = [
  { name: 'nats-server', env: 'NATS_SERVER_BIN' },
  { name: 'openssl', env: 'TKUBE_OPENSSL' },
  // The network plugin's tools (iproute2, util-linux, iptables).
  { name: 'ip' },
  { name: 'nsenter' },
  { name: 'iptables' },
];

export interface Needs {
  /** The nodes' runtime: docker needs a Docker engine answering on its socket. */
  runtime: NodeRuntime;
}

async function missingPrerequisites(needs: Needs): Promise<string[]> {
  const missing = await missingPrograms();
  if (needs.runtime === 'docker' && !(await probeUnixSocket(DOCKER_SOCKET))) {
    missing.push(`a running Docker engine (${DOCKER_SOCKET})`);
  }
  return missing;
}

export async function missingPrograms(): Promise<string[]> {
  const missing: string[] = [];
  for (const program of PROGRAMS) {
    const override = program.env ? process.env[program.env] : undefined;
    if (!(await findExecutable(program.name, override))) missing.push(program.name);
  }
  return missing;
}

/** Checks (and installs when it can); returns what to show after the step's title. */
export async function ensurePrerequisites(showLine: (line: string) => void, needs: Needs): Promise<string> {
  const nodeMajor = Number(process.versions.node.split('.')[0]);
  if (nodeMajor < MIN_NODE_MAJOR) {
    throw new StepError(`Node ${process.versions.node} is too old: tkube needs ${MIN_NODE_MAJOR} or later`, [
      `source ${join(REPO_ROOT, 'deploy', 'node-env.sh')} puts Node 24 on PATH`,
    ]);
  }
  const needed = [
    APISERVER_MAIN,
    SCHEDULER_MAIN,
    CONTROLLER_MANAGER_MAIN,
    DNS_MAIN,
    KUBELET_MAIN,
    CNI_BRIDGE_MAIN,
    PROXY_MAIN,
    needs.runtime === 'docker' ? CRI_DOCKER_MAIN : CRI_FAKE_MAIN,
  ];
  const unbuilt = needed.filter((main) => !existsSync(main));
  if (unbuilt.length > 0) {
    throw new StepError('tkube is not built', [
      `run "npm run build" in ${REPO_ROOT}`,
      ...unbuilt.map((m) => `missing ${m}`),
    ]);
  }
  const isRoot = process.getuid?.() === 0;
  if (!isRoot) {
    throw new StepError('tkube up must run as root', [
      "each node's network plugin creates a bridge, veth pairs and iptables rules",
    ]);
  }
  const missing = await missingPrerequisites(needs);
  if (missing.length === 0) {
    return `node ${process.versions.node}, nats-server, openssl, ip, iptables${needs.runtime === 'docker' ? ', docker' : ''}`;
  }
  await runInstallScript(showLine);
  const stillMissing = await missingPrerequisites(needs);
  if (stillMissing.length > 0) {
    throw new StepError(`still missing after ${INSTALL_SCRIPT}: ${stillMissing.join(', ')}`);
  }
  return `installed ${missing.join(', ')} with deploy/install.sh`;
}

async function runInstallScript(showLine: (line: string) => void): Promise<void> {
  const child = spawn('bash', [INSTALL_SCRIPT], { stdio: ['ignore', 'pipe', 'pipe'] });
  const tail: string[] = [];
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream }).on('line', (line) => {
      showLine(`   ${line}`);
      tail.push(line);
      if (tail.length > 10) tail.shift();
    });
  }
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', resolve);
  });
  if (code !== 0) {
    throw new StepError(`${INSTALL_SCRIPT} failed (exit code ${code})`, tail);
  }
}
