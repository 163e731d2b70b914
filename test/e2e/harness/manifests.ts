import { join } from 'node:path';
import { REPO_ROOT } from './paths.js';

export const MANIFESTS = join(REPO_ROOT, 'test', 'e2e', 'manifests');
export const manifest = (...parts: string[]) => join(MANIFESTS, ...parts);
