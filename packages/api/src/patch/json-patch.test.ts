import { describe, expect, it } from 'vitest';
import { StatusError } from '../errors.js';
import { applyJsonPatch } from './json-patch.js';

const deployment = () => ({
  metadata: { name: 'web', labels: { app: 'web' }, 'a/b': 1, 'm~n': 2 },
  spec: {
    replicas: 1,
    template: {
      spec: {
        containers: [
          { name: 'app', image: 'nginx:1' },
          { name: 'sidecar', image: 'busybox' },
        ],
      },
    },
  },
});

function failure(document: unknown, patch: unknown): StatusError {
  try {
    applyJsonPatch(document, patch);
  } catch (err) {
    if (err instanceof StatusError) return err;
    throw err;
  }
  throw new Error('expected the patch to fail');
}

describe('applyJsonPatch operations', () => {
  it('adds members, array items and appends with "-"', () => {
    const result = applyJsonPatch(deployment(), [
      { op: 'add', path: '/metadata/labels/tier', value: 'front' },
      { op: 'add', path: '/spec/template/spec/containers/1', value: { name: 'init', image: 'busybox' } },
      { op: 'add', path: '/spec/template/spec/containers/-', value: { name: 'last', image: 'busybox' } },
    ]) as ReturnType<typeof deployment>;
    expect(result.metadata.labels).toEqual({ app: 'web', tier: 'front' });
    expect(result.spec.template.spec.containers.map((c) => c.name)).toEqual(['app', 'init', 'sidecar', 'last']);
  });

  it('replaces an existing member with add', () => {
    const result = applyJsonPatch(deployment(), [{ op: 'add', path: '/spec/replicas', value: 3 }]);
    expect(result).toMatchObject({ spec: { replicas: 3 } });
  });

  it('removes and replaces', () => {
    const result = applyJsonPatch(deployment(), [
      { op: 'remove', path: '/metadata/labels/app' },
      { op: 'replace', path: '/spec/template/spec/containers/0/image', value: 'nginx:2' },
      { op: 'remove', path: '/spec/template/spec/containers/1' },
    ]);
    expect(result).toMatchObject({
      metadata: { labels: {} },
      spec: { template: { spec: { containers: [{ name: 'app', image: 'nginx:2' }] } } },
    });
  });

  it('moves and copies', () => {
    const result = applyJsonPatch({ a: { b: 1 }, list: [1, 2, 3] }, [
      { op: 'move', from: '/a/b', path: '/c' },
      { op: 'copy', from: '/list', path: '/copy' },
      { op: 'move', from: '/list/0', path: '/list/-' },
    ]);
    expect(result).toEqual({ a: {}, c: 1, list: [2, 3, 1], copy: [1, 2, 3] });
  });

  it('copies deeply, so later operations do not touch the source', () => {
    const result = applyJsonPatch({ a: { x: 1 } }, [
      { op: 'copy', from: '/a', path: '/b' },
      { op: 'replace', path: '/b/x', value: 2 },
    ]);
    expect(result).toEqual({ a: { x: 1 }, b: { x: 2 } });
  });

  it('tests values structurally', () => {
    const patch = [
      { op: 'test', path: '/metadata/labels', value: { app: 'web' } },
      { op: 'test', path: '/spec/replicas', value: 1 },
      { op: 'replace', path: '/spec/replicas', value: 2 },
    ];
    expect(applyJsonPatch(deployment(), patch)).toMatchObject({ spec: { replicas: 2 } });
  });

  it('unescapes ~1 and ~0 in pointers', () => {
    const result = applyJsonPatch(deployment(), [
      { op: 'replace', path: '/metadata/a~1b', value: 10 },
      { op: 'remove', path: '/metadata/m~0n' },
    ]);
    expect(result).toMatchObject({ metadata: { 'a/b': 10 } });
    expect((result as { metadata: object }).metadata).not.toHaveProperty('m~n');
  });

  it('replaces the whole document at the empty pointer', () => {
    expect(applyJsonPatch({ a: 1 }, [{ op: 'replace', path: '', value: { b: 2 } }])).toEqual({ b: 2 });
    expect(applyJsonPatch({ a: 1 }, [{ op: 'add', path: '', value: { c: 3 } }])).toEqual({ c: 3 });
  });

  it('does not mutate the document or the patch', () => {
    const document = deployment();
    const before = JSON.stringify(document);
    const patch = [
      { op: 'add', path: '/metadata/labels/x', value: { deep: [1] } },
      { op: 'remove', path: '/spec/template/spec/containers/0' },
    ];
    const result = applyJsonPatch(document, patch) as { metadata: { labels: { x: { deep: number[] } } } };
    result.metadata.labels.x.deep.push(2);
    expect(JSON.stringify(document)).toBe(before);
    expect(patch[0]).toEqual({ op: 'add', path: '/metadata/labels/x', value: { deep: [1] } });
  });

  it('decodes a request body given as text or bytes', () => {
    const body = '[{"op":"replace","path":"/spec/replicas","value":5}]';
    expect(applyJsonPatch(deployment(), body)).toMatchObject({ spec: { replicas: 5 } });
    expect(applyJsonPatch(deployment(), new TextEncoder().encode(body))).toMatchObject({ spec: { replicas: 5 } });
  });

  it('keeps a "__proto__" member as data', () => {
    const result = applyJsonPatch({}, JSON.parse('[{"op":"add","path":"/__proto__","value":{"polluted":true}}]'));
    expect(Object.getPrototypeOf(result)).toBe(Object.prototype);
    expect(Object.keys(result as object)).toEqual(['__proto__']);
  });

  it('treats a null patch as no operations', () => {
    expect(applyJsonPatch({ a: 1 }, 'null')).toEqual({ a: 1 });
  });
});

describe('applyJsonPatch errors', () => {
  it('answers an undecodable or misshapen patch with 400', () => {
    const notJson = failure({}, '[{"op":');
    expect(notJson.code).toBe(400);
    expect(notJson.reason).toBe('BadRequest');
    expect(notJson.message).toMatch(/^error decoding patch: /);
    expect(failure({}, { op: 'add' }).message).toBe(
      'json: cannot unmarshal object into Go value of type jsonpatch.Patch',
    );
    expect(failure({}, ['add']).message).toBe(
      'json: cannot unmarshal string into Go value of type jsonpatch.Operation',
    );
    expect(failure({}, ['add']).code).toBe(400);
  });

  it.each([
    [[{ op: 'test', path: '/spec/replicas', value: 2 }], 'testing value /spec/replicas failed: test failed'],
    [[{ op: 'test', path: '/spec/missing', value: null }], 'testing value /spec/missing failed: test failed'],
    [
      [{ op: 'remove', path: '/metadata/annotations' }],
      'remove operation does not apply: doc is missing path: "/metadata/annotations"',
    ],
    [
      [{ op: 'remove', path: '/spec/template/spec/containers/2' }],
      'remove operation does not apply: doc is missing path: "/spec/template/spec/containers/2"',
    ],
    [
      [{ op: 'replace', path: '/spec/paused', value: true }],
      'replace operation does not apply: doc is missing path: /spec/paused',
    ],
    [
      [{ op: 'add', path: '/status/phase', value: 'x' }],
      'add operation does not apply: doc is missing path: "/status/phase"',
    ],
    [[{ op: 'add', path: '/spec/template/spec/containers/5', value: {} }], 'Unable to access invalid index: 5'],
    [[{ op: 'add', path: '/spec/template/spec/containers/01', value: {} }], 'Unable to access invalid index: 01'],
    [[{ op: 'move', from: '/nope', path: '/x' }], 'move operation does not apply: doc is missing from path: /nope'],
    [
      [{ op: 'move', from: '/spec', path: '/spec/inner' }],
      'move operation does not apply: from /spec is a parent of path /spec/inner',
    ],
    [[{ op: 'copy', from: '/nope', path: '/x' }], 'copy operation does not apply: doc is missing from path: /nope'],
    [[{ op: 'frobnicate', path: '/x' }], 'Unexpected kind: frobnicate'],
    [[{ path: '/x', value: 1 }], 'Unexpected kind: undefined'],
    [[{ op: 'add', path: '/x' }], 'add operation has no "value"'],
    [[{ op: 'add', value: 1 }], 'add operation has no "path" string'],
    [[{ op: 'add', path: 'x', value: 1 }], 'JSON pointer must be empty or start with a "/": x'],
    [[{ op: 'add', path: '/a~2', value: 1 }], 'invalid escape in JSON pointer: /a~2'],
  ])('%j fails with 422: %s', (patch, message) => {
    const err = failure(deployment(), patch);
    expect(err.code).toBe(422);
    expect(err.reason).toBe('Invalid');
    expect(err.message).toBe(message);
  });

  it('applies nothing when a later operation fails', () => {
    const document = deployment();
    failure(document, [
      { op: 'replace', path: '/spec/replicas', value: 9 },
      { op: 'test', path: '/spec/replicas', value: 1 },
    ]);
    expect(document.spec.replicas).toBe(1);
  });

  it('refuses more than 10000 operations with 413', () => {
    const patch = Array.from({ length: 10_001 }, () => ({ op: 'test', path: '', value: {} }));
    const err = failure({}, patch);
    expect(err.code).toBe(413);
    expect(err.message).toBe('The allowed maximum operations in a JSON patch is 10000, got 10001');
  });
});
