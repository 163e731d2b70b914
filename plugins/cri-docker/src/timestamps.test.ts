import { describe, expect, it } from 'vitest';
import { nanosToDockerSince, rfc3339ToNanos } from './timestamps.js';

describe('timestamps', () => {
  it('reads Docker RFC 3339 times to nanoseconds', () => {
    expect(rfc3339ToNanos('2016-10-06T00:17:09.669794202Z')).toBe(1475713029669794202n);
    expect(rfc3339ToNanos('2016-10-06T02:17:09.5+02:00')).toBe(1475713029500000000n);
    expect(rfc3339ToNanos('2016-10-06T00:17:09Z')).toBe(1475713029000000000n);
  });

  it('reads the zero time and garbage as 0', () => {
    expect(rfc3339ToNanos('0001-01-01T00:00:00Z')).toBe(0n);
    expect(rfc3339ToNanos('yesterday')).toBe(0n);
  });

  it('writes the since form Docker takes', () => {
    expect(nanosToDockerSince(1475713029000000042n)).toBe('1475713029.000000042');
  });
});
