import type { Event } from '@tkube/api';
import { describe, expect, it } from 'vitest';
import { makePod } from '../testing/fakes.js';
import { QueuedEventRecorder } from './recorder.js';

function setup(options: { maxQueued?: number; block?: boolean } = {}) {
  const created: Event[] = [];
  const patched: Array<{ name: string; count: number }> = [];
  let release: () => void = () => undefined;
  const gate = new Promise<void>((resolve) => {
    release = resolve;
  });
  const recorder = new QueuedEventRecorder({
    component: 'default-scheduler',
    instance: 'host_1',
    maxQueued: options.maxQueued,
    concurrency: 1,
    sink: {
      create: async (event) => {
        if (options.block) await gate;
        created.push(event);
      },
      patchCount: async (_ns, name, count) => {
        patched.push({ name, count });
      },
    },
  });
  return { recorder, created, patched, release };
}

describe('QueuedEventRecorder', () => {
  it("posts a core/v1 Event about the pod from the scheduler's name", async () => {
    const { recorder, created } = setup();
    recorder.event(makePod('web', { uid: 'u1' }), 'Normal', 'Scheduled', 'Successfully assigned default/web to n1');
    await recorder.flush();
    expect(created[0]).toMatchObject({
      metadata: { namespace: 'default' },
      involvedObject: { kind: 'Pod', name: 'web', namespace: 'default', uid: 'u1' },
      type: 'Normal',
      reason: 'Scheduled',
      message: 'Successfully assigned default/web to n1',
      source: { component: 'default-scheduler' },
      reportingComponent: 'default-scheduler',
      reportingInstance: 'host_1',
      count: 1,
    });
  });

  it('counts a repeat on the first event instead of posting another', async () => {
    const { recorder, created, patched } = setup();
    const pod = makePod('p', { uid: 'u2' });
    recorder.event(pod, 'Warning', 'FailedScheduling', '0/1 nodes are available: 1 Insufficient cpu.');
    recorder.event(pod, 'Warning', 'FailedScheduling', '0/1 nodes are available: 1 Insufficient cpu.');
    await recorder.flush();
    expect(created).toHaveLength(1);
    expect(patched).toEqual([{ name: created[0]?.metadata?.name, count: 2 }]);
  });

  it('drops events rather than queue without bound when the apiserver lags', async () => {
    const { recorder, created, release } = setup({ maxQueued: 2, block: true });
    for (let i = 0; i < 6; i++) recorder.event(makePod(`p${i}`), 'Normal', 'Scheduled', `m${i}`);
    // One posting (blocked), two queued, three dropped.
    expect(recorder.dropped).toBe(3);
    release();
    await recorder.flush();
    expect(created.map((e) => e.message)).toEqual(['m0', 'm1', 'm2']);
  });
});
