import { FakeClock } from '@tkube/client';
import { describe, expect, it } from 'vitest';
import { fakePodInfoOf, makeNode, makePod } from '../testing/fakes.js';
import { SchedulerCache } from './cache.js';
import { CacheSnapshot } from './snapshot.js';

function setup(ttlMs = 30_000) {
  const clock = new FakeClock();
  const cache = new SchedulerCache({ podInfoOf: fakePodInfoOf, clock, assumedPodTtlMs: ttlMs });
  cache.addNode(makeNode('n1', { cpu: '2' }));
  cache.addNode(makeNode('n2', { cpu: '2' }));
  return { clock, cache };
}

const bound = (pod: ReturnType<typeof makePod>, nodeName: string) => ({ ...pod, spec: { ...pod.spec, nodeName } });

describe('SchedulerCache', () => {
  it('counts an assumed pod on its node at once, and only once when its binding comes back', () => {
    const { cache } = setup();
    const pod = makePod('a', { cpu: '500m', memory: '1Gi' });
    cache.assume(fakePodInfoOf(bound(pod, 'n1')), 'n1');
    expect(cache.nodeInfo('n1')?.requested).toMatchObject({ milliCpu: 500, memory: 1024 ** 3, pods: 1 });
    expect(cache.isAssumed(pod)).toBe(true);

    cache.addPod(bound(pod, 'n1'));
    expect(cache.isAssumed(pod)).toBe(false);
    expect(cache.nodeInfo('n1')?.requested).toMatchObject({ milliCpu: 500, pods: 1 });
    expect(cache.nodeInfo('n1')?.pods).toHaveLength(1);
  });

  it('forgets an assumption whose binding failed', () => {
    const { cache } = setup();
    const pod = makePod('a', { cpu: '1' });
    cache.assume(fakePodInfoOf(pod), 'n1');
    cache.forget(pod);
    expect(cache.nodeInfo('n1')?.requested).toMatchObject({ milliCpu: 0, pods: 0 });
    expect(cache.isAssumed(pod)).toBe(false);
  });

  it('refuses to assume a pod twice', () => {
    const { cache } = setup();
    const pod = makePod('a', { cpu: '1' });
    cache.assume(fakePodInfoOf(pod), 'n1');
    expect(() => cache.assume(fakePodInfoOf(pod), 'n2')).toThrow(/already in the scheduler cache/);
  });

  it('expires a bound assumption never seen through the watch, only after the TTL and only once binding finished', () => {
    const { cache, clock } = setup(30_000);
    const binding = makePod('binding', { cpu: '1' });
    const boundPod = makePod('bound', { cpu: '1' });
    cache.assume(fakePodInfoOf(binding), 'n1');
    cache.assume(fakePodInfoOf(boundPod), 'n1');
    cache.finishBinding(boundPod);
    clock.step(29_999);
    expect(cache.cleanupExpired()).toEqual([]);
    clock.step(1);
    expect(cache.cleanupExpired().map((p) => p.metadata?.name)).toEqual(['bound']);
    // The one still binding stays: its binding may yet succeed.
    expect(cache.nodeInfo('n1')?.requested.milliCpu).toBe(1000);
  });

  it('keeps the sums incremental over adds, updates, moves and removals', () => {
    const { cache } = setup();
    const a = makePod('a', { cpu: '100m', memory: '128Mi' });
    const b = makePod('b', { cpu: '300m', memory: '256Mi' });
    cache.addPod(bound(a, 'n1'));
    cache.addPod(bound(b, 'n1'));
    expect(cache.nodeInfo('n1')?.requested).toMatchObject({ milliCpu: 400, memory: 384 * 1024 ** 2, pods: 2 });
    const bigger = {
      ...bound(b, 'n1'),
      spec: { ...bound(b, 'n1').spec, containers: makePod('b', { cpu: '1' }).spec?.containers ?? [] },
    };
    cache.updatePod(bigger);
    expect(cache.nodeInfo('n1')?.requested).toMatchObject({ milliCpu: 1100, memory: 128 * 1024 ** 2, pods: 2 });
    cache.removePod(a);
    expect(cache.nodeInfo('n1')?.requested).toMatchObject({ milliCpu: 1000, memory: 0, pods: 1 });
    cache.removePod(bigger);
    expect(cache.nodeInfo('n1')?.requested).toMatchObject({ milliCpu: 0, memory: 0, pods: 0 });
  });

  it('still counts a pod that is being deleted, until it is gone', () => {
    const { cache } = setup();
    const pod = bound(makePod('a', { cpu: '1' }), 'n1');
    cache.addPod(pod);
    cache.updatePod({ ...pod, metadata: { ...pod.metadata, deletionTimestamp: '2025-01-01T00:00:00Z' } });
    expect(cache.nodeInfo('n1')?.requested.milliCpu).toBe(1000);
    cache.removePod(pod);
    expect(cache.nodeInfo('n1')?.requested.milliCpu).toBe(0);
  });

  it('bumps a node generation on each change', () => {
    const { cache } = setup();
    const before = cache.nodeInfo('n1')?.generation ?? 0;
    cache.addPod(bound(makePod('a', { cpu: '1' }), 'n1'));
    expect(cache.nodeInfo('n1')?.generation).toBeGreaterThan(before);
  });

  it('keeps pods bound to a node it has not seen, and counts them once the node arrives', () => {
    const { cache } = setup();
    cache.addPod(bound(makePod('early', { cpu: '1' }), 'n3'));
    expect(cache.nodeInfo('n3')).toBeUndefined();
    cache.addNode(makeNode('n3'));
    expect(cache.nodeInfo('n3')?.requested.milliCpu).toBe(1000);
  });
});

describe('CacheSnapshot updates', () => {
  it('replaces only the nodes that changed, and keeps the others as they were', () => {
    const { cache } = setup();
    const snapshot = new CacheSnapshot();
    cache.updateSnapshot(snapshot);
    const [first, second] = snapshot.nodes();
    cache.addPod(bound(makePod('a', { cpu: '1' }), 'n2'));
    cache.updateSnapshot(snapshot);
    expect(snapshot.nodes()[0]).toBe(first);
    expect(snapshot.nodes()[1]).not.toBe(second);
    expect(snapshot.get('n2')?.requested.milliCpu).toBe(1000);
  });

  it('lists the nodes that hold pods with affinity terms', () => {
    const { cache } = setup();
    const snapshot = new CacheSnapshot();
    cache.updateSnapshot(snapshot);
    expect(snapshot.nodesWithAffinityPods()).toEqual([]);
    const pod = bound(makePod('a'), 'n1');
    pod.spec = {
      ...pod.spec,
      containers: pod.spec?.containers ?? [],
      affinity: {
        podAntiAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: [
            { topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: { app: 'x' } } },
          ],
        },
      },
    };
    cache.addPod(pod);
    cache.updateSnapshot(snapshot);
    expect(snapshot.nodesWithAffinityPods().map((n) => n.name)).toEqual(['n1']);
    cache.removePod(pod);
    cache.updateSnapshot(snapshot);
    expect(snapshot.nodesWithAffinityPods()).toEqual([]);
  });

  it('walks zones in turn, and drops removed nodes', () => {
    const cache = new SchedulerCache({ podInfoOf: fakePodInfoOf });
    for (const [name, zone] of [
      ['a1', 'a'],
      ['a2', 'a'],
      ['b1', 'b'],
      ['b2', 'b'],
      ['c1', 'c'],
    ] as const) {
      cache.addNode(makeNode(name, { zone }));
    }
    const snapshot = new CacheSnapshot();
    cache.updateSnapshot(snapshot);
    expect(snapshot.nodes().map((n) => n.name)).toEqual(['a1', 'b1', 'c1', 'a2', 'b2']);
    cache.removeNode(makeNode('b1'));
    cache.updateSnapshot(snapshot);
    expect(snapshot.nodes().map((n) => n.name)).toEqual(['a1', 'b2', 'c1', 'a2']);
    expect(snapshot.get('b1')).toBeUndefined();
  });
});
