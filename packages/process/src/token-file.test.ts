import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { firstToken, readFirstToken } from './token-file.js';

describe('the first token of a static token file', () => {
  it('skips blank lines and comments and takes the first CSV column, unquoted', () => {
    expect(firstToken('\n# admin\n"s3cret",admin,1,"system:masters"\nother,user\n')).toBe('s3cret');
    expect(firstToken('# nothing\n\n')).toBeUndefined();
  });

  it('reads it from a file and says which file holds none', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'token-file-'));
    try {
      await writeFile(join(dir, 'tokens.csv'), 'abc,admin\n');
      await writeFile(join(dir, 'empty.csv'), '\n');
      expect(await readFirstToken(join(dir, 'tokens.csv'))).toBe('abc');
      await expect(readFirstToken(join(dir, 'empty.csv'))).rejects.toThrow(/empty\.csv holds no token/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
