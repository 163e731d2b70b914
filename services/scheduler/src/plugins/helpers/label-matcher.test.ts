import { isStatusError } from '@tkube/api';
import { describe, expect, it } from 'vitest';
import { LabelMatcher } from './label-matcher.js';

describe('LabelMatcher', () => {
  it('selects nothing for a null selector and everything for an empty one', () => {
    expect(LabelMatcher.compile(undefined).matches({ a: 'b' })).toBe(false);
    expect(LabelMatcher.compile({}).matches({})).toBe(true);
    expect(LabelMatcher.compile({}).empty).toBe(true);
  });

  it('ANDs matchLabels and matchExpressions', () => {
    const matcher = LabelMatcher.compile({
      matchLabels: { app: 'web' },
      matchExpressions: [
        { key: 'tier', operator: 'NotIn', values: ['db'] },
        { key: 'env', operator: 'Exists' },
        { key: 'legacy', operator: 'DoesNotExist' },
      ],
    });
    expect(matcher.matches({ app: 'web', env: 'prod' })).toBe(true);
    expect(matcher.matches({ app: 'web', env: 'prod', tier: 'db' })).toBe(false);
    expect(matcher.matches({ app: 'web' })).toBe(false);
    expect(matcher.matches({ app: 'web', env: 'prod', legacy: '' })).toBe(false);
  });

  it('does not mistake Object.prototype members for labels', () => {
    expect(LabelMatcher.compile({ matchExpressions: [{ key: 'constructor', operator: 'Exists' }] }).matches({})).toBe(
      false,
    );
  });

  it('refuses an invalid operator with a StatusError', () => {
    let caught: unknown;
    try {
      LabelMatcher.compile({ matchExpressions: [{ key: 'a', operator: 'Gt', values: ['1'] }] });
    } catch (err) {
      caught = err;
    }
    expect(isStatusError(caught)).toBe(true);
  });

  it('adds matchLabelKeys-style requirements', () => {
    const matcher = LabelMatcher.compile({ matchLabels: { app: 'web' } }).withLabels({ hash: 'abc' });
    expect(matcher.matches({ app: 'web', hash: 'abc' })).toBe(true);
    expect(matcher.matches({ app: 'web', hash: 'def' })).toBe(false);
  });
});
