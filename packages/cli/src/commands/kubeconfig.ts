/** `tkube kubeconfig`: the path of the cluster's kubeconfig, for `export KUBECONFIG=$(tkube kubeconfig)`. */
import { existsSync } from 'node:fs';
import { dataDir } from '../cluster/data-dir.js';
import type { Output } from '../steps/output.js';

export function kubeconfig(options: { dataDir: string }, output: Output): number {
  const dir = dataDir(options.dataDir);
  if (!existsSync(dir.kubeconfig)) {
    output.error(`no kubeconfig at ${dir.kubeconfig}: run "tkube up" first`);
    return 1;
  }
  output.info(dir.kubeconfig);
  return 0;
}
