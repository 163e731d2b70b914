/**
 * A component's credentials: the token of the first line of the apiserver's static token
 * file (kube's CSV: `token,user[,uid[,"groups"]]`). `tkube up` gives every component the
 * cluster's tokens.csv.
 */
import { readFile } from 'node:fs/promises';

export async function readFirstToken(path: string): Promise<string> {
  const token = firstToken(await readFile(path, 'utf8'));
  if (token === undefined) throw new Error(`the token file ${path} holds no token`);
  return token;
}

/** The first CSV column of the first line that is neither blank nor a comment. */
export function firstToken(text: string): string | undefined {
  for (const line of text.split(/\r?\n/)) {
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    const token = (trimmed.split(',')[0] ?? '').trim().replace(/^"|"$/g, '');
    if (token !== '') return token;
  }
  return undefined;
}
