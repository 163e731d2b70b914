import { FakeClock } from '@tkube/client';
import { describe, expect, it } from 'vitest';
import { fakePodInfoOf, makeNode, makePod } from '../testing/fakes.js';
import { ASSIGNED_POD_ADD, ASSIGNED_POD_DELETE, NODE_ADD, nodeUpdateEvent } from './cluster-events.js';
import { SchedulingQueue } from './scheduling-queue.js';

function setup() {
  const clock = new FakeClock();
  const queue = new SchedulingQueue({ podInfoOf: fakePodInfoOf, clock });
  return { clock, queue };
}

async function popName(queue: SchedulingQueue): Promise<string | undefined> {
  return (await queue.pop())?.podInfo.pod.metadata?.name;
}

/** Pops the pod and reports it unschedulable by `plugins`. */
async function failOnce(queue: SchedulingQueue, plugins: string[]) {
  const pod = await queue.pop();
  if (!pod) throw new Error('queue empty');
  const cycle = queue.cycle;
  pod.unschedulablePlugins = new Set(plugins);
  queue.addUnschedulable(pod, cycle);
  queue.done(pod.key);
  return pod;
}

describe('SchedulingQueue', () => {
  it('pops higher priority first, then first come first served', async () => {
    const { queue, clock } = setup();
    queue.add(makePod('low-1', { priority: 0 }));
    clock.step(1);
    queue.add(makePod('high', { priority: 1000 }));
    clock.step(1);
    queue.add(makePod('low-2', { priority: 0 }));
    queue.add(makePod('low-3'));
    expect([await popName(queue), await popName(queue), await popName(queue), await popName(queue)]).toEqual([
      'high',
      'low-1',
      'low-2',
      'low-3',
    ]);
  });

  it('hands a pod to a waiting pop as soon as one comes', async () => {
    const { queue } = setup();
    const waiting = popName(queue);
    queue.add(makePod('late'));
    expect(await waiting).toBe('late');
  });

  it('backs off 1 s doubling per attempt up to 10 s', () => {
    const { queue } = setup();
    expect([1, 2, 3, 4, 5, 6].map((a) => queue.backoffDuration(a))).toEqual([
      1_000, 2_000, 4_000, 8_000, 10_000, 10_000,
    ]);
  });

  it('keeps an unschedulable pod until a cluster event may help it, then after its back-off makes it active', async () => {
    const { queue, clock } = setup();
    const pod = makePod('p');
    queue.add(pod);
    await failOnce(queue, ['NodeResourcesFit']);
    expect(queue.whereIs(pod)).toBe('unschedulable');

    // A new pod bound elsewhere cannot give it cpu.
    queue.moveOnEvent(ASSIGNED_POD_ADD);
    expect(queue.whereIs(pod)).toBe('unschedulable');
    // A node whose taints changed cannot either.
    const node = makeNode('n');
    const tainted = makeNode('n', { taints: [{ key: 'x', value: 'y', effect: 'NoSchedule' }] });
    const taintEvent = nodeUpdateEvent(node, tainted);
    if (!taintEvent) throw new Error('expected an event');
    queue.moveOnEvent(taintEvent);
    expect(queue.whereIs(pod)).toBe('unschedulable');
    // A deleted pod may free cpu: back, but still within its 1 s back-off.
    queue.moveOnEvent(ASSIGNED_POD_DELETE);
    expect(queue.whereIs(pod)).toBe('backoff');
    clock.step(999);
    queue.flushBackoffCompleted();
    expect(queue.whereIs(pod)).toBe('backoff');
    clock.step(1);
    queue.flushBackoffCompleted();
    expect(queue.whereIs(pod)).toBe('active');
  });

  it('wakes every unschedulable pod when a node is added', async () => {
    const { queue, clock } = setup();
    queue.add(makePod('a'));
    queue.add(makePod('b'));
    await failOnce(queue, ['NodeAffinity']);
    await failOnce(queue, ['TaintToleration']);
    clock.step(5_000);
    queue.moveOnEvent(NODE_ADD);
    expect(queue.sizes()).toMatchObject({ active: 2, unschedulable: 0 });
  });

  it('sends a pod to back-off, not unschedulable, when a cluster event came during its cycle', async () => {
    const { queue } = setup();
    const pod = makePod('p');
    queue.add(pod);
    const popped = await queue.pop();
    if (!popped) throw new Error('queue empty');
    const cycle = queue.cycle;
    queue.moveOnEvent(NODE_ADD); // while it was being scheduled
    popped.unschedulablePlugins = new Set(['NodeResourcesFit']);
    queue.addUnschedulable(popped, cycle);
    expect(queue.whereIs(pod)).toBe('backoff');
  });

  it('retries a pod that failed with an error after its back-off, without waiting for an event', async () => {
    const { queue, clock } = setup();
    const pod = makePod('p');
    queue.add(pod);
    await failOnce(queue, []);
    expect(queue.whereIs(pod)).toBe('backoff');
    clock.step(1_000);
    expect(queue.whereIs(pod)).toBe('backoff');
    queue.run();
    clock.step(1_000);
    expect(queue.whereIs(pod)).toBe('active');
    queue.close();
  });

  it('gives every unschedulable pod another try after a minute, with the periodic flush', async () => {
    const { queue, clock } = setup();
    const pod = makePod('p');
    queue.add(pod);
    queue.run();
    await failOnce(queue, ['NodeResourcesFit']);
    clock.step(30_000);
    expect(queue.whereIs(pod)).toBe('unschedulable');
    clock.step(30_000);
    expect(queue.whereIs(pod)).toBe('active');
    queue.close();
  });

  it('moves an unschedulable pod whose spec changed, but not for a status change', async () => {
    const { queue, clock } = setup();
    const pod = makePod('p');
    queue.add(pod);
    await failOnce(queue, ['NodeAffinity']);
    queue.update({ ...pod, status: { conditions: [{ type: 'PodScheduled', status: 'False' }] } });
    expect(queue.whereIs(pod)).toBe('unschedulable');
    clock.step(2_000);
    queue.update({ ...pod, spec: { ...pod.spec, containers: pod.spec?.containers ?? [], nodeSelector: { a: 'b' } } });
    expect(queue.whereIs(pod)).toBe('active');
  });

  it('forgets deleted pods wherever they wait', async () => {
    const { queue } = setup();
    const a = makePod('a');
    const b = makePod('b');
    queue.add(a);
    queue.add(b);
    await failOnce(queue, ['NodeResourcesFit']);
    queue.delete(a);
    queue.delete(b);
    expect(queue.sizes()).toMatchObject({ active: 0, backoff: 0, unschedulable: 0 });
  });

  it('ends a waiting pop when closed or aborted', async () => {
    const { queue } = setup();
    const abort = new AbortController();
    const aborted = queue.pop(abort.signal);
    abort.abort();
    expect(await aborted).toBeUndefined();
    const closed = queue.pop();
    queue.close();
    expect(await closed).toBeUndefined();
  });
});
