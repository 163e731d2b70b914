/**
 * What `tkube up` needs on the machine. When a program is missing and we run as root,
 * deploy/install.sh (idempotent) installs it; otherwise the user is told how.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { StepError } from '../steps/step-runner.js';
import { APISERVER_MAIN } from './components.js';
import { findExecutable } from './executables.js';
import { REPO_ROOT } from './repo-root.js';

export const INSTALL_SCRIPT = join(REPO_ROOT, 'deploy', 'install.sh');
const MIN_NODE_MAJOR = 22;

/** Programs the running components need, with the override variable each honours. */
const PROGRAMS: ReadonlyArray<{ name: string; env?: string }> = [
  { name: 'nats-server', env: 'NATS_SERVER_BIN' },
  { name: 'openssl', env: 'TKUBE_OPENSSL' },
];

export async function missingPrograms(): Promise<string[]> {
  const missing: string[] = [];
  for (const program of PROGRAMS) {
    const override = program.env ? process.env[program.env] : undefined;
    if (!(await findExecutable(program.name, override))) missing.push(program.name);
  }
  return missing;
}

/** Checks (and installs when it can); returns what to show after the step's title. */
export async function ensurePrerequisites(showLine: (line: string) => void): Promise<string> {
  const nodeMajor = Number(process.versions.node.split('.')[0]);
  if (nodeMajor < MIN_NODE_MAJOR) {
    throw new StepError(`Node ${process.versions.node} is too old: tkube needs ${MIN_NODE_MAJOR} or later`, [
      `source ${join(REPO_ROOT, 'deploy', 'node-env.sh')} puts Node 24 on PATH`,
    ]);
  }
  if (!existsSync(APISERVER_MAIN)) {
    throw new StepError('tkube is not built', [`run "npm run build" in ${REPO_ROOT}`]);
  }
  const missing = await missingPrograms();
  if (missing.length === 0) return `node ${process.versions.node}, nats-server, openssl`;

  const isRoot = process.getuid?.() === 0;
  if (!isRoot) {
    throw new StepError(`missing: ${missing.join(', ')}`, [`install them as root: sudo bash ${INSTALL_SCRIPT}`]);
  }
  await runInstallScript(showLine);
  const stillMissing = await missingPrograms();
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
