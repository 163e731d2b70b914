import { describe, expect, it } from 'vitest';
import { SchedulerCache } from './cache/cache.js';
import { isPendingFor, nodeEventHandler, podEventHandler } from './event-handlers.js';
import { SchedulingQueue } from './queue/scheduling-queue.js';
import { fakePodInfoOf, makeNode, makePod } from './testing/fakes.js';

function setup() {
  const cache = new SchedulerCache({ podInfoOf: fakePodInfoOf });
  const queue = new SchedulingQueue({ podInfoOf: fakePodInfoOf });
  return {
    cache,
    queue,
    pods: podEventHandler('default-scheduler', cache, queue),
    nodes: nodeEventHandler(cache, queue),
  };
}

describe('isPendingFor', () => {
  it('is a pod with no node, our scheduler name (or none), not being deleted', () => {
    const pod = makePod('p');
    expect(isPendingFor('default-scheduler', pod)).toBe(true);
    expect(
      isPendingFor('default-scheduler', { ...pod, spec: { ...pod.spec, containers: [], schedulerName: 'other' } }),
    ).toBe(false);
    expect(isPendingFor('default-scheduler', makePod('b', { nodeName: 'n1' }))).toBe(false);
    expect(
      isPendingFor('default-scheduler', {
        ...pod,
        metadata: { ...pod.metadata, deletionTimestamp: '2025-01-01T00:00:00Z' },
      }),
    ).toBe(false);
  });
});

describe('event handlers', () => {
  it('queue pending pods and put bound ones on their node', () => {
    const t = setup();
    t.nodes.onAdd?.(makeNode('n1'));
    const pending = makePod('pending', { cpu: '1' });
    t.pods.onAdd?.(pending);
    t.pods.onAdd?.(makePod('bound', { cpu: '2', nodeName: 'n1' }));
    expect(t.queue.whereIs(pending)).toBe('active');
    expect(t.cache.nodeInfo('n1')?.requested.milliCpu).toBe(2000);
  });

  it('take a pod out of the queue once it is bound, and count it', () => {
    const t = setup();
    t.nodes.onAdd?.(makeNode('n1'));
    const pod = makePod('p', { cpu: '1' });
    t.pods.onAdd?.(pod);
    const bound = { ...pod, spec: { ...pod.spec, containers: pod.spec?.containers ?? [], nodeName: 'n1' } };
    t.pods.onUpdate?.(pod, bound);
    expect(t.queue.whereIs(pod)).toBeUndefined();
    expect(t.cache.nodeInfo('n1')?.requested.milliCpu).toBe(1000);
  });

  it('free the room of a pod that terminated', () => {
    const t = setup();
    t.nodes.onAdd?.(makeNode('n1'));
    const pod = makePod('p', { cpu: '1', nodeName: 'n1' });
    t.pods.onAdd?.(pod);
    t.pods.onUpdate?.(pod, { ...pod, status: { phase: 'Succeeded' } });
    expect(t.cache.nodeInfo('n1')?.requested.milliCpu).toBe(0);
  });
});
