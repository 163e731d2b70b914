import { describe, expect, it } from 'vitest';
import { StatusError } from '../errors.js';
import { applyMergePatch } from './merge-patch.js';

describe('applyMergePatch', () => {
  // RFC 7386 appendix A, restricted to object patches (a patch of an API object is an object).
  it.each([
    [{ a: 'b' }, { a: 'c' }, { a: 'c' }],
    [{ a: 'b' }, { b: 'c' }, { a: 'b', b: 'c' }],
    [{ a: 'b' }, { a: null }, {}],
    [{ a: 'b', b: 'c' }, { a: null }, { b: 'c' }],
    [{ a: ['b'] }, { a: 'c' }, { a: 'c' }],
    [{ a: 'c' }, { a: ['b'] }, { a: ['b'] }],
    [{ a: { b: 'c' } }, { a: { b: 'd', c: null } }, { a: { b: 'd' } }],
    [{ a: [{ b: 'c' }] }, { a: [1] }, { a: [1] }],
    [{ e: null }, { a: 1 }, { e: null, a: 1 }],
    [{}, { a: { bb: { ccc: null } } }, { a: { bb: {} } }],
    [{ a: 'x' }, { a: { b: 1 } }, { a: { b: 1 } }],
    [{ a: [1, 2] }, { a: [null, 3] }, { a: [null, 3] }],
  ])('%j patched with %j is %j', (document, patch, expected) => {
    expect(applyMergePatch(document, patch)).toEqual(expected);
  });

  it('merges labels and scales as kubectl label and kubectl scale do', () => {
    const deployment = {
      metadata: { name: 'web', labels: { app: 'web', old: 'x' } },
      spec: { replicas: 1, paused: false },
    };
    const labelled = applyMergePatch(deployment, '{"metadata":{"labels":{"tier":"front","old":null}}}');
    expect(labelled).toEqual({
      metadata: { name: 'web', labels: { app: 'web', tier: 'front' } },
      spec: { replicas: 1, paused: false },
    });
    expect(applyMergePatch(deployment, { spec: { replicas: 3 } })).toMatchObject({
      spec: { replicas: 3, paused: false },
    });
  });

  it('replaces lists wholesale', () => {
    const pod = {
      spec: {
        containers: [
          { name: 'a', image: 'x' },
          { name: 'b', image: 'y' },
        ],
      },
    };
    expect(applyMergePatch(pod, { spec: { containers: [{ name: 'a', image: 'z' }] } })).toEqual({
      spec: { containers: [{ name: 'a', image: 'z' }] },
    });
  });

  it('does not mutate the document or share values with the patch', () => {
    const document = { a: { b: 1 }, c: [1] };
    const patch = { a: { d: { e: 1 } } };
    const result = applyMergePatch(document, patch) as { a: { d: { e: number } } };
    result.a.d.e = 2;
    expect(document).toEqual({ a: { b: 1 }, c: [1] });
    expect(patch).toEqual({ a: { d: { e: 1 } } });
  });

  it('keeps a "__proto__" member as data', () => {
    const result = applyMergePatch({}, '{"__proto__":{"x":1}}');
    expect(Object.getPrototypeOf(result)).toBe(Object.prototype);
    expect(JSON.stringify(result)).toBe('{"__proto__":{"x":1}}');
  });

  it.each([['[1]'], ['"text"'], ['null'], ['42']])('answers the non-object patch %s with 400', (patch) => {
    expect(() => applyMergePatch({ a: 1 }, patch)).toThrow(new StatusError(400, 'BadRequest', 'Invalid JSON Patch'));
  });

  it('answers undecodable JSON with 400', () => {
    try {
      applyMergePatch({}, '{"a":');
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(StatusError);
      expect((err as StatusError).code).toBe(400);
      expect((err as StatusError).message).toMatch(/^error decoding patch: /);
    }
  });
});
