/**
 * Where the tkube checkout is: the CLI runs from packages/cli/{src,dist}/cluster/, so the
 * repository root is four levels up from this file, in both layouts.
 */
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
