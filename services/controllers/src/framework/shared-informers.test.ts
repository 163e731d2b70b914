import type { Pod } from '@tkube/api';
import { describe, expect, it } from 'vitest';
import { SharedInformers } from './shared-informers.js';
import { FakeClient } from './testing/fake-client.js';

const PODS = { group: '', version: 'v1', resource: 'pods' };

describe('SharedInformers', () => {
  it('hands every caller the same informer and keeps its cache in step', async () => {
    const client = new FakeClient();
    client.seed<Pod>({ ...PODS, namespace: 'ns' }, { metadata: { namespace: 'ns', name: 'a' } });
    const informers = new SharedInformers({ client });
    const first = informers.informerFor<Pod>(PODS);
    expect(informers.informerFor<Pod>(PODS)).toBe(first);
    informers.start();
    expect(await informers.waitForSync()).toBe(true);
    expect(first.cache.get('ns/a')?.metadata?.name).toBe('a');
    await client.create<Pod>({ ...PODS, namespace: 'ns' }, { metadata: { name: 'b' } });
    const end = Date.now() + 2000;
    while (!first.cache.get('ns/b') && Date.now() < end) await new Promise((r) => setTimeout(r, 5));
    expect(first.cache.get('ns/b')).toBeDefined();
    await informers.stop();
  });
});
