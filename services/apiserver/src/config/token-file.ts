/**
 * kube-apiserver's static token file: one CSV line per token,
 * `token,user[,uid[,"group1,group2"]]`; blank lines and lines starting with # are skipped.
 */
import { readFile } from 'node:fs/promises';

export interface TokenUser {
  /** The user's name (what audit and RBAC would see). */
  user: string;
  uid: string;
  groups: string[];
}

export class TokenFileError extends Error {
  override name = 'TokenFileError';
}

export async function loadTokenFile(path: string): Promise<Map<string, TokenUser>> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new TokenFileError(`cannot read the token file ${path}: ${err instanceof Error ? err.message : String(err)}`);
  }
  return parseTokenFile(text, path);
}

export function parseTokenFile(text: string, source = 'token file'): Map<string, TokenUser> {
  const tokens = new Map<string, TokenUser>();
  const lines = text.split(/\r?\n/);
  lines.forEach((line, index) => {
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#')) return;
    const where = `${source} line ${index + 1}`;
    const [token = '', user = '', uid, groups] = csvFields(trimmed, where);
    if (token === '') throw new TokenFileError(`${where}: the token is empty`);
    if (user === '') throw new TokenFileError(`${where}: the user is empty`);
    if (tokens.has(token)) throw new TokenFileError(`${where}: the token appears twice`);
    tokens.set(token, {
      user,
      uid: uid === undefined || uid === '' ? user : uid,
      groups: (groups ?? '')
        .split(',')
        .map((g) => g.trim())
        .filter((g) => g !== ''),
    });
  });
  return tokens;
}

/** Splits one CSV line; a double-quoted field may hold commas and "" for a quote. */
function csvFields(line: string, where: string): string[] {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      fields.push(field.trim());
      field = '';
    } else field += c;
  }
  if (quoted) throw new TokenFileError(`${where}: a quote is not closed`);
  fields.push(field.trim());
  return fields;
}
