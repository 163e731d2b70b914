import { describe, expect, it } from 'vitest';
import {
  annotationsOf,
  containerLabels,
  containerMetadataOf,
  criLabelsOf,
  isSandbox,
  matchesSelector,
  sandboxLabels,
  sandboxMetadataOf,
} from './labels.js';

const pod = { name: 'web', namespace: 'shop', uid: 'u-1', attempt: 2 };

describe('labels', () => {
  it('maps a sandbox to Docker labels and back to its metadata, labels and annotations', () => {
    const docker = sandboxLabels(
      pod,
      { app: 'web' },
      { 'kubernetes.io/config.source': 'api', note: 'a "quoted" value' },
    );
    expect(docker['io.kubernetes.docker.type']).toBe('podsandbox');
    expect(docker['io.kubernetes.pod.name']).toBe('web');
    expect(isSandbox(docker)).toBe(true);
    expect(sandboxMetadataOf(docker)).toEqual(pod);
    expect(criLabelsOf(docker)).toEqual({
      app: 'web',
      'io.kubernetes.pod.name': 'web',
      'io.kubernetes.pod.namespace': 'shop',
      'io.kubernetes.pod.uid': 'u-1',
    });
    expect(annotationsOf(docker)).toEqual({ 'kubernetes.io/config.source': 'api', note: 'a "quoted" value' });
  });

  it('maps a container to its sandbox, metadata and log path', () => {
    const docker = containerLabels({
      sandboxId: 'sb1',
      pod,
      metadata: { name: 'nginx', attempt: 3 },
      labels: { tier: 'front' },
      annotations: { hash: 'abc' },
      logPath: '/var/log/pods/x/nginx/3.log',
    });
    expect(docker['io.kubernetes.sandbox.id']).toBe('sb1');
    expect(docker['io.kubernetes.container.logpath']).toBe('/var/log/pods/x/nginx/3.log');
    expect(isSandbox(docker)).toBe(false);
    expect(containerMetadataOf(docker)).toEqual({ name: 'nginx', attempt: 3 });
    const labels = criLabelsOf(docker);
    expect(labels.tier).toBe('front');
    expect(labels['io.kubernetes.container.name']).toBe('nginx');
    expect(Object.keys(labels).some((key) => key.startsWith('io.tkube.') || key === 'io.kubernetes.sandbox.id')).toBe(
      false,
    );
    expect(annotationsOf(docker)).toEqual({ hash: 'abc' });
  });

  it('reads garbage annotations as none', () => {
    expect(annotationsOf({ 'io.tkube.cri.annotations': '{not json' })).toEqual({});
    expect(annotationsOf({ 'io.tkube.cri.annotations': '[1]' })).toEqual({});
  });

  it('matches equality selectors, ANDed', () => {
    expect(matchesSelector({ a: '1', b: '2' }, { a: '1' })).toBe(true);
    expect(matchesSelector({ a: '1', b: '2' }, { a: '1', b: '3' })).toBe(false);
    expect(matchesSelector({ a: '1' }, {})).toBe(true);
    expect(matchesSelector({ a: '1' }, undefined)).toBe(true);
  });
});
