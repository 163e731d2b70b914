import { describe, expect, it } from 'vitest';
import { findResource } from '../resources.js';
import { findTypeErrors, findUnknownFields, pruneUnknownFields } from './field-check.js';

const deployments = findResource('apps', 'v1', 'deployments')!;
const configmaps = findResource('', 'v1', 'configmaps')!;
const events = findResource('', 'v1', 'events')!;

const deployment = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'nginx', labels: { app: 'nginx' } },
  spec: {
    replicas: 3,
    selector: { matchLabels: { app: 'nginx' } },
    strategy: { rollingUpdate: { maxSurge: '25%', maxUnavailable: 1 } },
    template: {
      metadata: { labels: { app: 'nginx' } },
      spec: { containers: [{ name: 'nginx', image: 'busybox:1.35', ports: [{ containerPort: 80 }] }] },
    },
  },
};

describe('findUnknownFields', () => {
  it('accepts a Deployment from the Kubernetes docs', () => {
    expect(findUnknownFields(deployments, deployment)).toEqual([]);
    expect(findTypeErrors(deployments, deployment)).toEqual([]);
  });

  it('reports misspelled fields with their path, also inside lists', () => {
    const containers = [{ ...deployment.spec.template.spec.containers[0], imagez: 'x' }];
    const template = { ...deployment.spec.template, spec: { containers } };
    const bad = { ...deployment, spec: { ...deployment.spec, replicaz: 2, template } };
    expect(findUnknownFields(deployments, bad).sort()).toEqual([
      '.spec.replicaz',
      '.spec.template.spec.containers[0].imagez',
    ]);
  });

  it('lets maps hold any key and free-form fields hold anything', () => {
    expect(findUnknownFields(configmaps, { data: { anything: 'x' }, binaryData: {} })).toEqual([]);
    expect(
      findUnknownFields(findResource('apps', 'v1', 'controllerrevisions')!, { data: { whatever: { deep: 1 } } }),
    ).toEqual([]);
  });

  it('knows kinds whose client-node model carries a group prefix (CoreV1Event)', () => {
    expect(findUnknownFields(events, { involvedObject: { kind: 'Pod' }, reasn: 'x' })).toEqual(['.reasn']);
  });
});

describe('findTypeErrors', () => {
  it('reports a string where an integer belongs, and a fraction for int32', () => {
    const errors = findTypeErrors(deployments, { spec: { replicas: 'three', minReadySeconds: 1.5 } });
    expect(errors).toEqual([
      { path: '.spec.replicas', expected: 'int32', found: 'string' },
      { path: '.spec.minReadySeconds', expected: 'int32', found: 'number' },
    ]);
  });

  it('accepts null anywhere and both forms of IntOrString', () => {
    expect(
      findTypeErrors(deployments, { metadata: null, spec: { strategy: { rollingUpdate: { maxSurge: 1 } } } }),
    ).toEqual([]);
  });

  it('reports an object where a list belongs', () => {
    expect(findTypeErrors(deployments, { spec: { template: { spec: { containers: {} } } } })).toEqual([
      { path: '.spec.template.spec.containers', expected: 'array', found: 'object' },
    ]);
  });
});

describe('pruneUnknownFields', () => {
  it('removes what kube would drop and keeps everything else', () => {
    const object = { metadata: { name: 'x', nam: 'y' }, data: { a: 'b' }, extra: { deep: 1 } };
    expect(pruneUnknownFields(configmaps, object)).toEqual(['.metadata.nam', '.extra']);
    expect(object).toEqual({ metadata: { name: 'x' }, data: { a: 'b' } });
  });
});

describe('checking patches', () => {
  it('skips strategic-merge directives but still finds unknown fields', () => {
    const patch = {
      spec: {
        template: {
          spec: {
            $setElementOrder: 'ignored',
            containers: [
              { name: 'a', $patch: 'delete' },
              { name: 'b', imagez: 'x' },
            ],
          },
        },
      },
      '$setElementOrder/containers': [{ name: 'b' }],
    };
    expect(findUnknownFields(deployments, patch, { patch: true })).toEqual([
      '.spec.template.spec.containers[1].imagez',
    ]);
    expect(findUnknownFields(deployments, patch).length).toBeGreaterThan(1);
  });
});
