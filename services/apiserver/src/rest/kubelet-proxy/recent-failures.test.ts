import { StatusError } from '@tkube/api';
import { describe, expect, it } from 'vitest';
import { RecentFailures } from './recent-failures.js';

describe('RecentFailures', () => {
  it('hands a failure back once, within its time to live', () => {
    let now = 0;
    const failures = new RecentFailures(10_000, 10, () => now);
    const error = StatusError.internal('error dialing backend: connect ECONNREFUSED');
    failures.record('token /exec', error);
    now = 9_000;
    expect(failures.take('token /exec')).toBe(error);
    expect(failures.take('token /exec')).toBeUndefined();
    failures.record('token /exec', error);
    now = 20_000;
    expect(failures.take('token /exec')).toBeUndefined();
  });

  it('keeps at most its bound, dropping the oldest', () => {
    const failures = new RecentFailures(10_000, 2);
    for (const key of ['a', 'b', 'c']) failures.record(key, StatusError.badRequest(key));
    expect(failures.take('a')).toBeUndefined();
    expect(failures.take('b')?.message).toBe('b');
    expect(failures.take('c')?.message).toBe('c');
  });
});
