import { describe, expect, it } from 'vitest';
import { defaultNormalizeScore } from './normalize-score.js';

const scores = (...values: number[]) => values.map((score, i) => ({ name: `n${i}`, score }));

describe('defaultNormalizeScore', () => {
  it('scales to 0..100 with integer division', () => {
    const list = scores(1, 2, 3, 4, 5);
    defaultNormalizeScore(100, false, list);
    expect(list.map((s) => s.score)).toEqual([20, 40, 60, 80, 100]);
  });

  it('reverses', () => {
    const list = scores(1, 2, 3, 4, 5);
    defaultNormalizeScore(100, true, list);
    expect(list.map((s) => s.score)).toEqual([80, 60, 40, 20, 0]);
  });

  it('leaves all-zero scores at 0, or gives them the maximum when reversed', () => {
    const plain = scores(0, 0);
    defaultNormalizeScore(100, false, plain);
    expect(plain.map((s) => s.score)).toEqual([0, 0]);
    const reversed = scores(0, 0);
    defaultNormalizeScore(100, true, reversed);
    expect(reversed.map((s) => s.score)).toEqual([100, 100]);
  });

  it('rounds down as int64 division does', () => {
    const list = scores(1000, 10, 20, 30, 40);
    defaultNormalizeScore(100, false, list);
    expect(list.map((s) => s.score)).toEqual([100, 1, 2, 3, 4]);
  });
});
