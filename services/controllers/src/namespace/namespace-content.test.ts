import type { Namespace } from '@tkube/api';
import { describe, expect, it } from 'vitest';
import { awaitsFinalization, namespacedResources, withoutKubernetesFinalizer } from './namespace-content.js';

const terminating: Namespace = {
  metadata: { name: 'team', deletionTimestamp: '2026-01-01T00:00:00Z' },
  spec: { finalizers: ['kubernetes', 'example.com/other'] },
  status: { phase: 'Terminating' },
};

describe('namespace content', () => {
  it('covers the namespaced resources and none of the cluster-scoped ones', () => {
    const names = namespacedResources().map((r) => r.resource);
    expect(names).toEqual(expect.arrayContaining(['pods', 'services', 'deployments', 'endpointslices', 'leases']));
    expect(names).not.toContain('namespaces');
    expect(names).not.toContain('nodes');
  });

  it('awaits finalization only when deleted and still carrying the kubernetes finalizer', () => {
    expect(awaitsFinalization(terminating)).toBe(true);
    expect(awaitsFinalization({ ...terminating, metadata: { name: 'team' } })).toBe(false);
    expect(awaitsFinalization({ ...terminating, spec: { finalizers: ['example.com/other'] } })).toBe(false);
    expect(awaitsFinalization(undefined)).toBe(false);
  });

  it('removes only the kubernetes finalizer', () => {
    expect(withoutKubernetesFinalizer(terminating).spec?.finalizers).toEqual(['example.com/other']);
  });
});
