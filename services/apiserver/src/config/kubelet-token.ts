/**
 * The token the apiserver presents to kubelets: the first column of the first line of a
 * kube static token CSV (`tkube up` passes the cluster's tokens.csv, whose first line is
 * the cluster's own identity). Blank lines and # comments are skipped, as in --token-file.
 */
import { readFile } from 'node:fs/promises';
import { TokenFileError } from './token-file.js';

export async function loadKubeletToken(path: string): Promise<string> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new TokenFileError(
      `cannot read the kubelet token file ${path}: ${err instanceof Error ? err.message : String(err)}`,
    );
  }
  return firstToken(text, path);
}

export function firstToken(text: string, source = 'kubelet token file'): string {
  for (const line of text.split(/\r?\n/)) {
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    const token = unquote((trimmed.split(',')[0] ?? '').trim());
    if (token === '') throw new TokenFileError(`${source}: the first line's token is empty`);
    return token;
  }
  throw new TokenFileError(`${source}: no token in the file`);
}

function unquote(field: string): string {
  return field.length >= 2 && field.startsWith('"') && field.endsWith('"') ? field.slice(1, -1) : field;
}
