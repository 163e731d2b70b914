/**
 * The admin credentials: a random bearer token made once (DIR/token) and the static token
 * file the apiserver reads (DIR/tokens.csv), rewritten from it on every `up`.
 */
import { randomBytes } from 'node:crypto';
import { readIfExists, writeFileAtomic } from './files.js';

export const ADMIN_USER = 'tkube-admin';
const ADMIN_GROUP = 'system:masters';
const TOKEN_BYTES = 32;

export async function ensureAdminToken(tokenPath: string, tokenFilePath: string): Promise<string> {
  let token = (await readIfExists(tokenPath))?.trim();
  if (!token) {
    token = randomBytes(TOKEN_BYTES).toString('hex');
    await writeFileAtomic(tokenPath, `${token}\n`, 0o600);
  }
  await writeFileAtomic(tokenFilePath, `${token},${ADMIN_USER},${ADMIN_USER},"${ADMIN_GROUP}"\n`, 0o600);
  return token;
}
