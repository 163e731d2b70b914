/** The controller-manager's credentials: the token on the first line of the apiserver's static token file. */
import { readFile } from 'node:fs/promises';

export async function readFirstToken(path: string): Promise<string> {
  for (const line of (await readFile(path, 'utf8')).split(/\r?\n/)) {
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    const token = (trimmed.split(',')[0] ?? '').trim().replace(/^"|"$/g, '');
    if (token !== '') return token;
  }
  throw new Error(`the token file ${path} holds no token`);
}
