import type { KubeObject } from '@tkube/api';
import { describe, expect, it } from 'vitest';
import { pod, statusErrorOf, testCluster } from '../test-fixtures.js';
import { qosClassOf } from './pods.js';

describe('pods', () => {
  it('a pod that was never scheduled is deleted at once', async () => {
    const cluster = await testCluster();
    const pods = cluster.registry('pods');
    await pods.create('default', pod('web'), {});
    const result = (await pods.delete('default', 'web', {})) as KubeObject;
    expect(result.metadata?.name).toBe('web');
    expect((await statusErrorOf(() => pods.get('default', 'web'))).code).toBe(404);
  });

  it('a scheduled pod is deleted gracefully: deletionTimestamp = now + terminationGracePeriodSeconds', async () => {
    const cluster = await testCluster();
    const pods = cluster.registry('pods');
    await pods.create('default', pod('web', { nodeName: 'node-1' }), {});
    const result = (await pods.delete('default', 'web', {})) as KubeObject;
    expect(result.metadata?.deletionTimestamp).toBe('2025-03-01T10:00:30Z');
    expect(result.metadata?.deletionGracePeriodSeconds).toBe(30);
    expect(result.metadata?.generation).toBe(2);
    expect((await pods.get('default', 'web')).metadata?.deletionTimestamp).toBe('2025-03-01T10:00:30Z');
  });

  it('gracePeriodSeconds in the request overrides the pod spec', async () => {
    const cluster = await testCluster();
    const pods = cluster.registry('pods');
    await pods.create('default', pod('web', { nodeName: 'node-1', grace: 60 }), {});
    const result = (await pods.delete('default', 'web', { gracePeriodSeconds: 5 })) as KubeObject;
    expect(result.metadata?.deletionGracePeriodSeconds).toBe(5);
    expect(result.metadata?.deletionTimestamp).toBe('2025-03-01T10:00:05Z');
  });

  it('a second delete may shorten the grace period but not lengthen it', async () => {
    const cluster = await testCluster();
    const pods = cluster.registry('pods');
    await pods.create('default', pod('web', { nodeName: 'node-1' }), {});
    await pods.delete('default', 'web', {});
    const longer = (await pods.delete('default', 'web', { gracePeriodSeconds: 100 })) as KubeObject;
    expect(longer.metadata?.deletionGracePeriodSeconds).toBe(30);
    const shorter = (await pods.delete('default', 'web', { gracePeriodSeconds: 10 })) as KubeObject;
    expect(shorter.metadata?.deletionGracePeriodSeconds).toBe(10);
    expect(shorter.metadata?.deletionTimestamp).toBe('2025-03-01T10:00:10Z');
  });

  it('a delete with gracePeriodSeconds 0 (the kubelet, once containers stopped) removes it', async () => {
    const cluster = await testCluster();
    const pods = cluster.registry('pods');
    await pods.create('default', pod('web', { nodeName: 'node-1' }), {});
    await pods.delete('default', 'web', {});
    await pods.delete('default', 'web', { gracePeriodSeconds: 0 });
    expect((await statusErrorOf(() => pods.get('default', 'web'))).code).toBe(404);
  });

  it('a finished pod is deleted at once even when scheduled', async () => {
    const cluster = await testCluster();
    const pods = cluster.registry('pods');
    const { object } = await pods.create('default', pod('job', { nodeName: 'node-1' }), {});
    await pods.updateStatus('default', 'job', { ...object, status: { phase: 'Succeeded' } }, {});
    await pods.delete('default', 'job', {});
    expect((await statusErrorOf(() => pods.get('default', 'job'))).code).toBe(404);
  });

  it('a pod with finalizers deleted with grace 0 stays until the finalizers are gone', async () => {
    const cluster = await testCluster();
    const pods = cluster.registry('pods');
    const body = pod('web');
    body.metadata = { ...body.metadata, finalizers: ['example.com/hold'] };
    await pods.create('default', body, {});
    const marked = (await pods.delete('default', 'web', {})) as KubeObject;
    expect(marked.metadata?.deletionGracePeriodSeconds).toBe(0);
    await pods.patch('default', 'web', 'merge', Buffer.from('{"metadata":{"finalizers":null}}'), {});
    expect((await statusErrorOf(() => pods.get('default', 'web'))).code).toBe(404);
  });

  it('QoS class: BestEffort, Burstable, Guaranteed', () => {
    const withResources = (resources: Record<string, unknown>): KubeObject => ({
      spec: { containers: [{ name: 'c', image: 'i', resources }] },
    });
    expect(qosClassOf(withResources({}))).toBe('BestEffort');
    expect(qosClassOf(withResources({ requests: { cpu: '100m' } }))).toBe('Burstable');
    expect(qosClassOf(withResources({ limits: { cpu: '1', memory: '1Gi' } }))).toBe('Guaranteed');
    expect(
      qosClassOf(withResources({ requests: { cpu: '500m', memory: '1Gi' }, limits: { cpu: '1', memory: '1Gi' } })),
    ).toBe('Burstable');
  });
});

describe('pod binding', () => {
  it('binds an unscheduled pod to a node and marks it PodScheduled', async () => {
    const cluster = await testCluster();
    const pods = cluster.registry('pods');
    await pods.create('default', pod('web'), {});
    if (!pods.bind) throw new Error('pods serve binding');
    const status = await pods.bind(
      'default',
      'web',
      { metadata: { name: 'web' }, target: { kind: 'Node', name: 'node-1' } },
      {},
    );
    expect(status.status).toBe('Success');
    const bound = await pods.get('default', 'web');
    expect((bound.spec as Record<string, unknown>).nodeName).toBe('node-1');
    expect((bound.status as { conditions: unknown[] }).conditions).toEqual([
      { type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: '2025-03-01T10:00:00Z' },
    ]);
    expect(bound.metadata?.generation).toBe(1);
  });

  it('binding a pod that is already bound answers 409 and leaves it where it is', async () => {
    const cluster = await testCluster();
    const pods = cluster.registry('pods');
    await pods.create('default', pod('web', { nodeName: 'node-1' }), {});
    if (!pods.bind) throw new Error('pods serve binding');
    const bind = pods.bind;
    const err = await statusErrorOf(() =>
      bind('default', 'web', { metadata: { name: 'web' }, target: { name: 'node-2' } }, {}),
    );
    expect(err.code).toBe(409);
    expect(err.message).toBe(
      'Operation cannot be fulfilled on pods/binding "web": pod web is already assigned to node "node-1"',
    );
    expect(((await pods.get('default', 'web')).spec as Record<string, unknown>).nodeName).toBe('node-1');
  });

  it('a binding without a target node answers 422', async () => {
    const cluster = await testCluster();
    const pods = cluster.registry('pods');
    await pods.create('default', pod('web'), {});
    if (!pods.bind) throw new Error('pods serve binding');
    const bind = pods.bind;
    const err = await statusErrorOf(() => bind('default', 'web', { metadata: { name: 'web' }, target: {} }, {}));
    expect(err.code).toBe(422);
  });
});
