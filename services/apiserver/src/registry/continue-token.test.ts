import { describe, expect, it } from 'vitest';
import { decodeContinue, encodeContinue } from './continue-token.js';

describe('continue token', () => {
  it('round-trips the revision and start key as base64 JSON in kube’s shape', () => {
    const token = encodeContinue({ revision: 42, start: 'default.web\u0000' });
    expect(JSON.parse(Buffer.from(token, 'base64url').toString())).toEqual({
      v: 'meta.k8s.io/v1',
      rv: 42,
      start: 'default.web\u0000',
    });
    expect(decodeContinue(token)).toEqual({ revision: 42, start: 'default.web\u0000' });
  });

  it('rejects tokens that are not ours with 400', () => {
    for (const token of [
      '%%%',
      Buffer.from('{"v":"other","rv":1,"start":"a"}').toString('base64url'),
      Buffer.from('{"v":"meta.k8s.io/v1","rv":0,"start":"a"}').toString('base64url'),
    ]) {
      expect(() => decodeContinue(token)).toThrow(expect.objectContaining({ code: 400 }));
    }
  });
});
