import { describe, expect, it } from 'vitest';
import { jsonPatch, mergePatch } from './scale-patch.js';

const scale = {
  kind: 'Scale',
  metadata: { name: 'web', resourceVersion: '7' },
  spec: { replicas: 3 },
  status: { replicas: 3 },
};

describe('patching a Scale', () => {
  it('applies a merge patch (kubectl scale)', () => {
    expect(mergePatch(scale, { spec: { replicas: 5 } })).toEqual({ ...scale, spec: { replicas: 5 } });
    expect(mergePatch(scale, { status: null })).not.toHaveProperty('status');
  });

  it('applies JSON patch operations without touching the original', () => {
    const patched = jsonPatch(scale, [
      { op: 'test', path: '/spec/replicas', value: 3 },
      { op: 'replace', path: '/spec/replicas', value: 1 },
      { op: 'remove', path: '/metadata/resourceVersion' },
    ]);
    expect(patched).toEqual({
      kind: 'Scale',
      metadata: { name: 'web' },
      spec: { replicas: 1 },
      status: { replicas: 3 },
    });
    expect(scale.spec.replicas).toBe(3);
  });

  it('fails with 422 when a test or a path does not hold', () => {
    expect(() => jsonPatch(scale, [{ op: 'test', path: '/spec/replicas', value: 4 }])).toThrow(/testing value/);
    expect(() => jsonPatch(scale, [{ op: 'replace', path: '/spec/nothing/here', value: 4 }])).toThrow(/missing path/);
  });
});
