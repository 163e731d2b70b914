import { describe, expect, it } from 'vitest';
import { encodeContinue } from './continue-token.js';
import { configMap, names, pod, statusErrorOf, testCluster } from './test-fixtures.js';

describe('list', () => {
  it('is a <Kind>List at the store revision, items sorted by namespace then name, each with its own resourceVersion', async () => {
    const cluster = await testCluster();
    const configmaps = cluster.registry('configmaps');
    await configmaps.create('kube-system', configMap('b'), {});
    const { object: c } = await configmaps.create('default', configMap('c'), {});
    await configmaps.create('default', configMap('a'), {});
    const list = await configmaps.list(undefined, {});
    expect(list.apiVersion).toBe('v1');
    expect(list.kind).toBe('ConfigMapList');
    expect(list.metadata.resourceVersion).toBe(String(await cluster.storage.currentRevision()));
    expect(list.items.map((i) => `${i.metadata?.namespace}/${i.metadata?.name}`)).toEqual([
      'default/a',
      'default/c',
      'kube-system/b',
    ]);
    expect(list.items[1].metadata?.resourceVersion).toBe(c.metadata?.resourceVersion);
    expect(list.items[0].kind).toBe('ConfigMap');
  });

  it('a namespace scopes the list', async () => {
    const cluster = await testCluster();
    const configmaps = cluster.registry('configmaps');
    await configmaps.create('kube-system', configMap('b'), {});
    await configmaps.create('default', configMap('a'), {});
    expect(names((await configmaps.list('kube-system', {})).items)).toEqual(['b']);
  });

  it('label selectors select, set-based ones too', async () => {
    const cluster = await testCluster();
    const configmaps = cluster.registry('configmaps');
    await configmaps.create('default', configMap('a', {}, { tier: 'front' }), {});
    await configmaps.create('default', configMap('b', {}, { tier: 'back' }), {});
    await configmaps.create('default', configMap('c', {}, {}), {});
    expect(names((await configmaps.list('default', { labelSelector: 'tier=front' })).items)).toEqual(['a']);
    expect(names((await configmaps.list('default', { labelSelector: 'tier in (front,back)' })).items)).toEqual([
      'a',
      'b',
    ]);
    expect(names((await configmaps.list('default', { labelSelector: '!tier' })).items)).toEqual(['c']);
  });

  it('field selectors select on the fields the kind offers', async () => {
    const cluster = await testCluster();
    const pods = cluster.registry('pods');
    await pods.create('default', pod('a', { nodeName: 'node-1' }), {});
    await pods.create('default', pod('b', { nodeName: 'node-2' }), {});
    await pods.create('kube-system', pod('c', { nodeName: 'node-1' }), {});
    expect(names((await pods.list(undefined, { fieldSelector: 'spec.nodeName=node-1' })).items)).toEqual(['a', 'c']);
    expect(names((await pods.list(undefined, { fieldSelector: 'metadata.name=b' })).items)).toEqual(['b']);
    expect(names((await pods.list(undefined, { fieldSelector: 'metadata.namespace!=default' })).items)).toEqual(['c']);
  });

  it('a bad label selector or an unsupported field answers 400', async () => {
    const cluster = await testCluster();
    const configmaps = cluster.registry('configmaps');
    expect((await statusErrorOf(() => configmaps.list('default', { labelSelector: 'a in (' }))).code).toBe(400);
    const err = await statusErrorOf(() => configmaps.list('default', { fieldSelector: 'spec.nodeName=x' }));
    expect(err.code).toBe(400);
    expect(err.message).toBe('field label not supported: spec.nodeName');
  });

  it('list with limit 2 pages through 5 objects at one resourceVersion even while a 6th is created', async () => {
    const cluster = await testCluster();
    const configmaps = cluster.registry('configmaps');
    for (const name of ['a', 'b', 'c', 'd', 'e']) await configmaps.create('default', configMap(name), {});
    const first = await configmaps.list('default', { limit: 2 });
    expect(names(first.items)).toEqual(['a', 'b']);
    expect(first.metadata.remainingItemCount).toBe(3);
    const token = (first.metadata as { continue?: string }).continue;
    expect(token).toBeTruthy();
    await configmaps.create('default', configMap('bb'), {});
    await configmaps.delete('default', 'd', {});

    const second = await configmaps.list('default', { limit: 2, continue: token });
    expect(second.metadata.resourceVersion).toBe(first.metadata.resourceVersion);
    expect(names(second.items)).toEqual(['c', 'd']);
    const third = await configmaps.list('default', {
      limit: 2,
      continue: (second.metadata as { continue?: string }).continue,
    });
    expect(names(third.items)).toEqual(['e']);
    expect((third.metadata as { continue?: string }).continue).toBeUndefined();
    expect(third.metadata.resourceVersion).toBe(first.metadata.resourceVersion);
  });

  it('pages honour selectors: each page holds up to limit matches', async () => {
    const cluster = await testCluster();
    const configmaps = cluster.registry('configmaps');
    for (const [name, team] of [
      ['a', 'x'],
      ['b', 'y'],
      ['c', 'x'],
      ['d', 'y'],
      ['e', 'x'],
    ]) {
      await configmaps.create('default', configMap(name, {}, { team }), {});
    }
    const first = await configmaps.list('default', { limit: 2, labelSelector: 'team=x' });
    expect(names(first.items)).toEqual(['a', 'c']);
    const second = await configmaps.list('default', {
      limit: 2,
      labelSelector: 'team=x',
      continue: (first.metadata as { continue?: string }).continue,
    });
    expect(names(second.items)).toEqual(['e']);
    expect((second.metadata as { continue?: string }).continue).toBeUndefined();
  });

  it('a continue token whose revision is no longer kept answers 410 Expired', async () => {
    const cluster = await testCluster({ windowSize: 5 });
    const configmaps = cluster.registry('configmaps');
    for (const name of ['a', 'b', 'c']) await configmaps.create('default', configMap(name), {});
    const first = await configmaps.list('default', { limit: 1 });
    for (let i = 0; i < 10; i++)
      await configmaps.patch('default', 'c', 'merge', Buffer.from(JSON.stringify({ data: { i: String(i) } })), {});
    const err = await statusErrorOf(() =>
      configmaps.list('default', { limit: 1, continue: (first.metadata as { continue?: string }).continue }),
    );
    expect(err.code).toBe(410);
    expect(err.reason).toBe('Expired');
    expect(err.message).toBe(
      'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.',
    );
  });

  it('a malformed continue token, or one combined with resourceVersion, answers 400', async () => {
    const cluster = await testCluster();
    const configmaps = cluster.registry('configmaps');
    expect((await statusErrorOf(() => configmaps.list('default', { continue: 'garbage!' }))).code).toBe(400);
    const token = encodeContinue({ revision: 1, start: 'a' });
    expect(
      (await statusErrorOf(() => configmaps.list('default', { continue: token, resourceVersion: '5' }))).code,
    ).toBe(400);
  });

  it('resourceVersion "0" and a numeric resourceVersion are served from the newest state', async () => {
    const cluster = await testCluster();
    const configmaps = cluster.registry('configmaps');
    await configmaps.create('default', configMap('a'), {});
    expect(names((await configmaps.list('default', { resourceVersion: '0' })).items)).toEqual(['a']);
    expect(names((await configmaps.list('default', { resourceVersion: '1' })).items)).toEqual(['a']);
    expect((await statusErrorOf(() => configmaps.list('default', { resourceVersion: 'x' }))).code).toBe(400);
  });
});
