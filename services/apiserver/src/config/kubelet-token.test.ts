import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { firstToken, loadKubeletToken } from './kubelet-token.js';
import { TokenFileError } from './token-file.js';

describe('firstToken', () => {
  it('takes the first column of the first line that holds one', () => {
    expect(firstToken('# cluster tokens\n\nabc123,admin,uid-1,"system:masters"\ndef,alice\n')).toBe('abc123');
    expect(firstToken('lonely-token\n')).toBe('lonely-token');
    expect(firstToken('"quoted",admin')).toBe('quoted');
  });

  it.each([
    ['', /no token in the file/],
    ['# only a comment\n', /no token in the file/],
    [',admin', /the first line's token is empty/],
  ])('rejects %j', (text, message) => {
    expect(() => firstToken(text)).toThrow(TokenFileError);
    expect(() => firstToken(text)).toThrow(message);
  });
});

describe('loadKubeletToken', () => {
  it('reads the file and names it when it cannot', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tkube-kubelet-token-'));
    try {
      await writeFile(join(dir, 'tokens.csv'), 't1,admin\nt2,bob\n');
      expect(await loadKubeletToken(join(dir, 'tokens.csv'))).toBe('t1');
      await expect(loadKubeletToken(join(dir, 'missing.csv'))).rejects.toThrow(
        /cannot read the kubelet token file .*missing\.csv/,
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
