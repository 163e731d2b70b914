import { describe, expect, it } from 'vitest';
import { formatMicroTime } from './micro-time.js';

describe('formatMicroTime', () => {
  it('writes UTC with six fractional digits', () => {
    expect(formatMicroTime(new Date(Date.UTC(2006, 0, 2, 15, 4, 5, 7)))).toBe('2006-01-02T15:04:05.007000Z');
  });

  it('converts other time zones to UTC', () => {
    expect(formatMicroTime(new Date('2024-03-01T01:00:00.250+02:00'))).toBe('2024-02-29T23:00:00.250000Z');
  });
});
