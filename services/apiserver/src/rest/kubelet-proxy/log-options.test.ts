import { describe, expect, it } from 'vitest';
import { kubeletLogQuery, parseLogOptions } from './log-options.js';

const parse = (query: string) => parseLogOptions(new URLSearchParams(query), 'web');

function failure(query: string): { code: number; reason: string; message: string } {
  try {
    parse(query);
  } catch (err) {
    return err as { code: number; reason: string; message: string };
  }
  throw new Error(`expected ${query} to be refused`);
}

describe('parseLogOptions', () => {
  it('reads every option kubectl logs sends', () => {
    expect(parse('container=app&follow=true&tailLines=2&timestamps=true&previous=true&limitBytes=100')).toEqual({
      container: 'app',
      follow: true,
      previous: true,
      timestamps: true,
      tailLines: 2,
      limitBytes: 100,
    });
    expect(parse('sinceSeconds=60')).toMatchObject({ sinceSeconds: 60, follow: false });
    expect(parse('sinceTime=2025-01-02T03:04:05Z').sinceTime?.toISOString()).toBe('2025-01-02T03:04:05.000Z');
  });

  it('reads booleans as kube-apiserver: only "0" and "false" are false', () => {
    expect(parse('follow=1').follow).toBe(true);
    expect(parse('follow=').follow).toBe(true);
    expect(parse('follow=FALSE').follow).toBe(false);
    expect(parse('follow=0').follow).toBe(false);
    expect(parse('').follow).toBe(false);
  });

  it('answers 400 with strconv wording for numbers that do not parse', () => {
    expect(failure('tailLines=ten')).toMatchObject({
      code: 400,
      reason: 'BadRequest',
      message: 'strconv.ParseInt: parsing "ten": invalid syntax',
    });
    expect(failure('limitBytes=1.5').code).toBe(400);
    expect(failure('sinceSeconds=99999999999999999999').message).toBe(
      'strconv.ParseInt: parsing "99999999999999999999": value out of range',
    );
    expect(failure('sinceTime=yesterday')).toMatchObject({ code: 400, reason: 'BadRequest' });
  });

  it('answers 422 PodLogOptions invalid for values out of range, as ValidatePodLogOptions', () => {
    expect(failure('tailLines=-1')).toMatchObject({
      code: 422,
      reason: 'Invalid',
      message: 'PodLogOptions "web" is invalid: tailLines: Invalid value: -1: must be greater than or equal to 0',
    });
    expect(failure('limitBytes=0').message).toBe(
      'PodLogOptions "web" is invalid: limitBytes: Invalid value: 0: must be greater than 0',
    );
    expect(failure('sinceSeconds=0').message).toBe(
      'PodLogOptions "web" is invalid: sinceSeconds: Invalid value: 0: must be greater than 0',
    );
    expect(failure('sinceSeconds=5&sinceTime=2025-01-02T03:04:05Z').message).toBe(
      'PodLogOptions "web" is invalid: : Forbidden: at most one of `sinceTime` or `sinceSeconds` may be specified',
    );
  });
});

describe('kubeletLogQuery', () => {
  it('carries only what was set, sorted by key as Go encodes it', () => {
    expect(kubeletLogQuery(parse('container=app')).toString()).toBe('');
    expect(kubeletLogQuery(parse('tailLines=2&follow=true&timestamps=1&previous=true&limitBytes=9')).toString()).toBe(
      'follow=true&limitBytes=9&previous=true&tailLines=2&timestamps=true',
    );
    expect(kubeletLogQuery(parse('sinceSeconds=30')).toString()).toBe('sinceSeconds=30');
    expect(kubeletLogQuery(parse('sinceTime=2025-01-02T04:04:05.123%2B01:00')).get('sinceTime')).toBe(
      '2025-01-02T03:04:05Z',
    );
  });
});
