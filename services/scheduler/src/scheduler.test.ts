import type { Pod } from '@tkube/api';
import { FakeClock } from '@tkube/client';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { SchedulerCache } from './cache/cache.js';
import type { EventRecorder } from './events/recorder.js';
import { FrameworkRunner } from './framework/runner.js';
import type { BindPlugin, PluginStatus } from './framework/types.js';
import { SchedulingQueue } from './queue/scheduling-queue.js';
import { Scheduler } from './scheduler.js';
import { PodConditionWriter } from './status/pod-scheduled-condition.js';
import { fakePodInfoOf, fitsCpu, leastAllocatedCpu, makeNode, makePod } from './testing/fakes.js';

/** A binder whose bindings finish only when the test says so. */
class ControlledBinder implements BindPlugin {
  readonly name = 'DefaultBinder';
  readonly calls: Array<{ pod: string; node: string; finish: (status: PluginStatus) => void }> = [];
  bind(_state: unknown, pod: { pod: Pod }, nodeName: string): Promise<PluginStatus> {
    return new Promise((resolve) => {
      this.calls.push({ pod: pod.pod.metadata?.name ?? '', node: nodeName, finish: resolve });
    });
  }
}

function setup(nodes: ReturnType<typeof makeNode>[]) {
  const clock = new FakeClock();
  const cache = new SchedulerCache({ podInfoOf: fakePodInfoOf, clock });
  for (const node of nodes) cache.addNode(node);
  const queue = new SchedulingQueue({ podInfoOf: fakePodInfoOf, clock });
  const binder = new ControlledBinder();
  const events: Array<{ pod: string; type: string; reason: string; message: string }> = [];
  const recorder: EventRecorder = {
    event: (object, type, reason, message) => events.push({ pod: object.metadata?.name ?? '', type, reason, message }),
  };
  const patches: Array<{ name: string; patch: unknown }> = [];
  const conditions = new PodConditionWriter({
    patchStatus: async (_ns, name, patch) => patches.push({ name, patch }),
  });
  const pods = new Map<string, Pod>();
  const scheduler = new Scheduler({
    queue,
    cache,
    framework: new FrameworkRunner({ plugins: [fitsCpu, leastAllocatedCpu, binder] }),
    recorder,
    conditions,
    logger: pino({ level: 'silent' }),
    currentPod: (pod) => pods.get(pod.metadata?.name ?? ''),
  });
  const submit = (pod: Pod) => {
    pods.set(pod.metadata?.name ?? '', pod);
    queue.add(pod);
  };
  const cycle = async () => {
    const next = await queue.pop();
    if (!next) throw new Error('queue empty');
    return scheduler.scheduleOne(next, queue.cycle);
  };
  return { clock, cache, queue, binder, events, patches, scheduler, submit, cycle, pods };
}

const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('Scheduler cycle', () => {
  it('reserves the pod on its node and schedules the next one before the binding is answered', async () => {
    const t = setup([makeNode('n1', { cpu: '1' }), makeNode('n2', { cpu: '1' })]);
    t.submit(makePod('a', { cpu: '1' }));
    t.submit(makePod('b', { cpu: '1' }));
    const first = await t.cycle();
    const second = await t.cycle();
    // Both cycles ran while both bindings are still open, and they did not pick the same node.
    expect(t.binder.calls.map((c) => c.pod)).toEqual(['a', 'b']);
    expect(new Set([first.nodeName, second.nodeName])).toEqual(new Set(['n1', 'n2']));
    expect(t.cache.isAssumed(makePod('a', { uid: t.pods.get('a')?.metadata?.uid }))).toBe(true);
    for (const call of t.binder.calls) call.finish({ code: 'Success', reasons: [] });
    await t.scheduler.waitForBindings();
    expect(t.events.map((e) => `${e.type} ${e.reason} ${e.message}`).sort()).toEqual([
      `Normal Scheduled Successfully assigned default/a to ${first.nodeName}`,
      `Normal Scheduled Successfully assigned default/b to ${second.nodeName}`,
    ]);
    expect(t.queue.sizes().inFlight).toBe(0);
  });

  it('never over-commits a node in a burst: the pod that does not fit is reported, not bound', async () => {
    const t = setup([makeNode('n1', { cpu: '2' })]);
    for (const name of ['a', 'b', 'c']) t.submit(makePod(name, { cpu: '1' }));
    const outcomes = [await t.cycle(), await t.cycle(), await t.cycle()];
    expect(outcomes.map((o) => o.nodeName ?? o.failure)).toEqual([
      'n1',
      'n1',
      '0/1 nodes are available: 1 Insufficient cpu.',
    ]);
    expect(t.events).toEqual([
      {
        pod: 'c',
        type: 'Warning',
        reason: 'FailedScheduling',
        message: '0/1 nodes are available: 1 Insufficient cpu.',
      },
    ]);
    expect(t.patches).toEqual([
      {
        name: 'c',
        patch: {
          status: {
            conditions: [
              {
                type: 'PodScheduled',
                status: 'False',
                reason: 'Unschedulable',
                message: '0/1 nodes are available: 1 Insufficient cpu.',
                lastProbeTime: null,
                lastTransitionTime: expect.any(String),
              },
            ],
          },
        },
      },
    ]);
    expect(t.queue.whereIs(makePod('c', { uid: t.pods.get('c')?.metadata?.uid }))).toBe('unschedulable');
  });

  it('on a failed binding unreserves, forgets the assumption and retries the pod after its back-off', async () => {
    const t = setup([makeNode('n1', { cpu: '1' })]);
    const pod = makePod('a', { cpu: '1' });
    t.submit(pod);
    await t.cycle();
    expect(t.cache.nodeInfo('n1')?.requested.milliCpu).toBe(1000);
    t.binder.calls[0]?.finish({ code: 'Error', reasons: ['Operation cannot be fulfilled'] });
    await t.scheduler.waitForBindings();
    expect(t.cache.isAssumed(pod)).toBe(false);
    expect(t.cache.nodeInfo('n1')?.requested.milliCpu).toBe(0);
    expect(t.queue.whereIs(pod)).toBe('backoff');
    expect(t.events).toEqual([
      {
        pod: 'a',
        type: 'Warning',
        reason: 'FailedScheduling',
        message: 'binding rejected: Operation cannot be fulfilled',
      },
    ]);
    t.clock.step(1_000);
    t.queue.flushBackoffCompleted();
    const retry = await t.cycle();
    expect(retry.nodeName).toBe('n1');
  });

  it('does not requeue a pod that was deleted while it was being tried', async () => {
    const t = setup([makeNode('n1', { cpu: '1' })]);
    const pod = makePod('a', { cpu: '4' });
    t.submit(pod);
    const popped = await t.queue.pop();
    if (!popped) throw new Error('queue empty');
    t.pods.delete('a');
    t.scheduler.scheduleOne(popped, t.queue.cycle);
    expect(t.queue.whereIs(pod)).toBeUndefined();
    expect(t.events).toEqual([]);
  });

  it('writes the PodScheduled condition only when it changes', async () => {
    const t = setup([makeNode('n1', { cpu: '1' })]);
    const pod = makePod('a', { cpu: '4' });
    t.submit(pod);
    await t.cycle();
    const condition = (t.patches[0]?.patch as { status: { conditions: unknown[] } } | undefined)?.status.conditions[0];
    t.pods.set('a', { ...pod, status: { conditions: [condition as never] } });
    t.clock.step(60_000);
    t.queue.flushUnschedulableLeftover();
    t.clock.step(10_000);
    t.queue.flushBackoffCompleted();
    await t.cycle();
    expect(t.patches).toHaveLength(1);
    expect(t.events.filter((e) => e.reason === 'FailedScheduling')).toHaveLength(2);
  });

  it('runs until aborted, binding what it can', async () => {
    const t = setup([makeNode('n1', { cpu: '4' })]);
    const abort = new AbortController();
    const running = t.scheduler.run(abort.signal);
    t.submit(makePod('a', { cpu: '1' }));
    t.submit(makePod('b', { cpu: '1' }));
    for (let i = 0; i < 20 && t.binder.calls.length < 2; i++) await settle();
    expect(t.binder.calls.map((c) => c.node)).toEqual(['n1', 'n1']);
    for (const call of t.binder.calls) call.finish({ code: 'Success', reasons: [] });
    abort.abort();
    await running;
    expect(t.scheduler.scheduledCount).toBe(2);
  });
});
