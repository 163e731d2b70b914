import { RESOURCES } from '@tkube/api';
import { describe, expect, it } from 'vitest';
import { MemoryStorage } from '../storage/memory-storage.js';
import { createRegistries, ensureSystemNamespaces, SYSTEM_NAMESPACES } from './registries.js';
import { names } from './test-fixtures.js';

describe('createRegistries', () => {
  it('serves one registry per catalog entry, found by path and by kind', () => {
    const registries = createRegistries(new MemoryStorage());
    expect(registries.all()).toHaveLength(RESOURCES.length);
    expect(registries.get('apps', 'v1', 'deployments')?.info.kind).toBe('Deployment');
    expect(registries.byKind('v1', 'Pod')?.info.resource).toBe('pods');
    expect(registries.byKind('apps/v1', 'Pod')).toBeUndefined();
    expect(registries.get('', 'v1', 'widgets')).toBeUndefined();
  });

  it('only resources with a scale subresource serve scale, only namespaces serve finalize', () => {
    const registries = createRegistries(new MemoryStorage());
    expect(registries.get('apps', 'v1', 'deployments')?.scale).toBeDefined();
    expect(registries.get('', 'v1', 'pods')?.scale).toBeUndefined();
    expect(registries.get('', 'v1', 'namespaces')?.finalize).toBeDefined();
    expect(registries.get('', 'v1', 'pods')?.finalize).toBeUndefined();
  });
});

describe('ensureSystemNamespaces', () => {
  it('creates default, kube-system, kube-public and kube-node-lease, and is idempotent', async () => {
    const registries = createRegistries(new MemoryStorage());
    await ensureSystemNamespaces(registries);
    await ensureSystemNamespaces(registries);
    const list = await registries.get('', 'v1', 'namespaces')?.list(undefined, {});
    expect(names(list?.items ?? [])).toEqual([...SYSTEM_NAMESPACES].sort());
  });

  it('two apiservers starting at once over one store both succeed', async () => {
    const storage = new MemoryStorage();
    await Promise.all([
      ensureSystemNamespaces(createRegistries(storage)),
      ensureSystemNamespaces(createRegistries(storage)),
    ]);
    const list = await createRegistries(storage).get('', 'v1', 'namespaces')?.list(undefined, {});
    expect(list?.items).toHaveLength(4);
  });
});
