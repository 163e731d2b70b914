import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadTokenFile, parseTokenFile, TokenFileError } from './token-file.js';

describe('parseTokenFile', () => {
  it('reads kube-apiserver static token lines', () => {
    const tokens = parseTokenFile(
      [
        '# tokens for the cluster',
        'abc123,admin,uid-1,"system:masters,devs"',
        '',
        'def456,alice',
        'ghi789 , bob , 42',
      ].join('\n'),
    );
    expect(tokens.get('abc123')).toEqual({ user: 'admin', uid: 'uid-1', groups: ['system:masters', 'devs'] });
    expect(tokens.get('def456')).toEqual({ user: 'alice', uid: 'alice', groups: [] });
    expect(tokens.get('ghi789')).toEqual({ user: 'bob', uid: '42', groups: [] });
    expect(tokens.size).toBe(3);
  });

  it.each([
    ['onlytoken', /line 1: the user is empty/],
    [',user', /line 1: the token is empty/],
    ['a,b\na,c', /line 2: the token appears twice/],
    ['a,b,c,"open', /line 1: a quote is not closed/],
  ])('rejects %j', (text, message) => {
    expect(() => parseTokenFile(text)).toThrow(TokenFileError);
    expect(() => parseTokenFile(text)).toThrow(message);
  });
});

describe('loadTokenFile', () => {
  it('reads the file and names it when it cannot', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tkube-tokens-'));
    try {
      await writeFile(join(dir, 'tokens.csv'), 't1,admin\n');
      expect((await loadTokenFile(join(dir, 'tokens.csv'))).get('t1')?.user).toBe('admin');
      await expect(loadTokenFile(join(dir, 'missing.csv'))).rejects.toThrow(
        /cannot read the token file .*missing\.csv/,
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
