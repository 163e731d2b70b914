import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ensureAdminToken } from './credentials.js';

describe('ensureAdminToken', () => {
  it('makes a random token once, keeps it, and writes the static token file from it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tkube-token-'));
    try {
      const first = await ensureAdminToken(join(dir, 'token'), join(dir, 'tokens.csv'));
      const again = await ensureAdminToken(join(dir, 'token'), join(dir, 'tokens.csv'));
      const other = await ensureAdminToken(join(dir, 'token2'), join(dir, 'tokens2.csv'));
      expect(first).toMatch(/^[0-9a-f]{64}$/);
      expect(again).toBe(first);
      expect(other).not.toBe(first);
      expect(await readFile(join(dir, 'tokens.csv'), 'utf8')).toBe(
        `${first},tkube-admin,tkube-admin,"system:masters"\n`,
      );
      expect((await stat(join(dir, 'token'))).mode & 0o777).toBe(0o600);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
