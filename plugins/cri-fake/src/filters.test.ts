import { describe, expect, it } from 'vitest';
import { matchesSelector, selectById } from './filters.js';

describe('matchesSelector', () => {
  it('requires every selector pair, and an empty or missing selector matches all', () => {
    const labels = { app: 'web', tier: 'front' };
    expect(matchesSelector(labels, { app: 'web' })).toBe(true);
    expect(matchesSelector(labels, { app: 'web', tier: 'back' })).toBe(false);
    expect(matchesSelector(labels, { missing: '' })).toBe(false);
    expect(matchesSelector(labels, {})).toBe(true);
    expect(matchesSelector(labels, undefined)).toBe(true);
  });
});

describe('selectById', () => {
  const records = new Map([
    ['abc123', 'first'],
    ['abc456', 'second'],
    ['abc', 'short'],
  ]);

  it('answers the exact id alone, even when it prefixes others', () => {
    expect(selectById(records, 'abc')).toEqual(['short']);
  });

  it('falls back to a prefix match for truncated ids', () => {
    expect(selectById(records, 'abc4')).toEqual(['second']);
    expect(selectById(records, 'zzz')).toEqual([]);
  });
});
