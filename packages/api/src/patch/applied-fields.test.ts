import { describe, expect, it } from 'vitest';
import { appliedFieldSet, removeDroppedFields } from './applied-fields.js';
import type { JsonObject } from './json-value.js';

const DEPLOYMENT = { group: 'apps', version: 'v1', kind: 'Deployment' };

function deployment(containers: JsonObject[], labels: Record<string, string> = { app: 'web' }): JsonObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'default', labels },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers } },
    },
  };
}

describe('appliedFieldSet', () => {
  it("names a configuration's fields as kube's FieldsV1: containers by name, env by name, metadata's labels only", () => {
    const fields = appliedFieldSet(
      deployment([{ name: 'web', image: 'busybox:1.35', env: [{ name: 'A', value: '1' }], args: ['-f'] }]),
      DEPLOYMENT,
    );
    expect(fields).toEqual({
      'f:metadata': { 'f:labels': { 'f:app': {} } },
      'f:spec': {
        'f:replicas': {},
        'f:selector': { 'f:matchLabels': { 'f:app': {} } },
        'f:template': {
          'f:metadata': { 'f:labels': { 'f:app': {} } },
          'f:spec': {
            'f:containers': {
              'k:{"name":"web"}': {
                '.': {},
                'f:name': {},
                'f:image': {},
                'f:env': { 'k:{"name":"A"}': { '.': {}, 'f:name': {}, 'f:value': {} } },
                // An atomic list is one field.
                'f:args': {},
              },
            },
          },
        },
      },
    });
  });

  it('takes a set-like list value by value (finalizers)', () => {
    const fields = appliedFieldSet(
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', finalizers: ['a/b'] }, data: { k: 'v' } },
      { group: '', version: 'v1', kind: 'ConfigMap' },
    );
    expect(fields).toEqual({ 'f:metadata': { 'f:finalizers': { 'v:"a/b"': {} } }, 'f:data': { 'f:k': {} } });
  });
});

describe('removeDroppedFields', () => {
  it('removes what the earlier configuration set and the new one leaves out, and nothing else', () => {
    const before = appliedFieldSet(
      deployment(
        [
          {
            name: 'web',
            image: 'a',
            env: [
              { name: 'A', value: '1' },
              { name: 'B', value: '2' },
            ],
          },
          { name: 'sidecar', image: 'b' },
        ],
        { app: 'web', tier: 'front' },
      ),
      DEPLOYMENT,
    );
    const after = appliedFieldSet(
      deployment([{ name: 'web', image: 'a', env: [{ name: 'A', value: '1' }] }]),
      DEPLOYMENT,
    );
    // The live object: the merge of both, plus what others wrote (an annotation, a third env var).
    const live = deployment(
      [
        {
          name: 'web',
          image: 'a',
          env: [
            { name: 'A', value: '1' },
            { name: 'B', value: '2' },
            { name: 'C', value: 'by hand' },
          ],
        },
        { name: 'sidecar', image: 'b' },
      ],
      { app: 'web', tier: 'front' },
    );
    (live.metadata as JsonObject).annotations = { note: 'by hand' };
    removeDroppedFields(live, before, after, DEPLOYMENT);
    expect((live.metadata as JsonObject).labels).toEqual({ app: 'web' });
    expect((live.metadata as JsonObject).annotations).toEqual({ note: 'by hand' });
    const spec = (live.spec as JsonObject).template as { spec: { containers: JsonObject[] } };
    expect(spec.spec.containers).toEqual([
      {
        name: 'web',
        image: 'a',
        env: [
          { name: 'A', value: '1' },
          { name: 'C', value: 'by hand' },
        ],
      },
    ]);
    expect((live.spec as JsonObject).replicas).toBe(2);
  });
});
