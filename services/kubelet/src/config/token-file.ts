/**
 * The kubelet's credentials: the token of the apiserver's static token file's first line
 * (its first CSV column). The kubelet sends it to the apiserver and asks the same of
 * clients of its own API (the apiserver proxies logs and exec with it).
 */
import { readFile } from 'node:fs/promises';

export async function readFirstToken(path: string): Promise<string> {
  const text = await readFile(path, 'utf8');
  const token = firstToken(text);
  if (token === undefined) throw new Error(`the token file ${path} holds no token`);
  return token;
}

export function firstToken(text: string): string | undefined {
  for (const line of text.split(/\r?\n/)) {
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    const token = (trimmed.split(',')[0] ?? '').trim().replace(/^"|"$/g, '');
    if (token !== '') return token;
  }
  return undefined;
}
