import { describe, expect, it } from 'vitest';
import { configMap, nextEvents, quietFor, statusErrorOf, testCluster } from './test-fixtures.js';

const merge = (value: unknown): Buffer => Buffer.from(JSON.stringify(value));

describe('watch', () => {
  it('watch from a resourceVersion sees every later change once and in order', async () => {
    const cluster = await testCluster();
    const configmaps = cluster.registry('configmaps');
    const { object: a } = await configmaps.create('default', configMap('a'), {});
    const watch = await configmaps.watch('default', { resourceVersion: a.metadata?.resourceVersion });
    try {
      await configmaps.create('default', configMap('b'), {});
      await configmaps.patch('default', 'a', 'merge', merge({ data: { key: 'changed' } }), {});
      await configmaps.delete('default', 'b', {});
      const events = await nextEvents(watch, 3);
      expect(events.map((e) => `${e.type} ${e.object.metadata?.name}`)).toEqual(['ADDED b', 'MODIFIED a', 'DELETED b']);
      const versions = events.map((e) => Number(e.object.metadata?.resourceVersion));
      expect(versions).toEqual([...versions].sort((x, y) => x - y));
      expect(new Set(versions).size).toBe(3);
      expect(events[1].object.data).toEqual({ key: 'changed' });
      expect(events[0].object.kind).toBe('ConfigMap');
      expect(await quietFor(watch, 50)).toBeUndefined();
    } finally {
      watch.stop();
    }
  });

  it('without a resourceVersion it starts with ADDED for every existing object, then changes', async () => {
    const cluster = await testCluster();
    const configmaps = cluster.registry('configmaps');
    await configmaps.create('default', configMap('b'), {});
    await configmaps.create('default', configMap('a'), {});
    const watch = await configmaps.watch('default', {});
    try {
      await configmaps.create('default', configMap('c'), {});
      const events = await nextEvents(watch, 3);
      expect(events.map((e) => `${e.type} ${e.object.metadata?.name}`)).toEqual(['ADDED a', 'ADDED b', 'ADDED c']);
    } finally {
      watch.stop();
    }
  });

  it('a namespace scopes the watch', async () => {
    const cluster = await testCluster();
    const configmaps = cluster.registry('configmaps');
    const watch = await configmaps.watch('kube-system', { resourceVersion: '0' });
    try {
      await configmaps.create('default', configMap('elsewhere'), {});
      await configmaps.create('kube-system', configMap('here'), {});
      const events = await nextEvents(watch, 1);
      expect(events[0].object.metadata?.name).toBe('here');
    } finally {
      watch.stop();
    }
  });

  it('with a label selector, an object that starts matching is ADDED and one that stops matching is DELETED', async () => {
    const cluster = await testCluster();
    const configmaps = cluster.registry('configmaps');
    const { object } = await configmaps.create('default', configMap('a', {}, { team: 'y' }), {});
    const watch = await configmaps.watch('default', {
      labelSelector: 'team=x',
      resourceVersion: object.metadata?.resourceVersion,
    });
    try {
      await configmaps.create('default', configMap('ignored', {}, { team: 'y' }), {});
      await configmaps.patch('default', 'a', 'merge', merge({ metadata: { labels: { team: 'x' } } }), {});
      await configmaps.patch('default', 'a', 'merge', merge({ data: { v: '2' } }), {});
      const { object: last } = await configmaps.patch(
        'default',
        'a',
        'merge',
        merge({ metadata: { labels: { team: 'z' } } }),
        {},
      );
      const events = await nextEvents(watch, 3);
      expect(events.map((e) => e.type)).toEqual(['ADDED', 'MODIFIED', 'DELETED']);
      // The DELETED event carries the last state that matched, at the version of the change.
      expect(events[2].object.metadata?.labels).toEqual({ team: 'x' });
      expect(events[2].object.metadata?.resourceVersion).toBe(last.metadata?.resourceVersion);
    } finally {
      watch.stop();
    }
  });

  it('a resourceVersion older than the kept history answers 410 Expired', async () => {
    const cluster = await testCluster({ windowSize: 5 });
    const configmaps = cluster.registry('configmaps');
    for (let i = 0; i < 10; i++) await configmaps.create('default', configMap(`c${i}`), {});
    const err = await statusErrorOf(() => configmaps.watch('default', { resourceVersion: '1' }));
    expect(err.code).toBe(410);
    expect(err.reason).toBe('Expired');
    expect(err.message).toMatch(/^too old resource version: 1 \(\d+\)$/);
  });

  it('a bad selector answers 400 before watching', async () => {
    const cluster = await testCluster();
    const err = await statusErrorOf(() => cluster.registry('configmaps').watch('default', { labelSelector: '=x' }));
    expect(err.code).toBe(400);
  });

  it('stop ends the event stream', async () => {
    const cluster = await testCluster();
    const configmaps = cluster.registry('configmaps');
    const watch = await configmaps.watch('default', { resourceVersion: '0' });
    watch.stop();
    await configmaps.create('default', configMap('late'), {});
    const events = await nextEvents(watch, 1, 500);
    expect(events).toEqual([]);
  });
});
