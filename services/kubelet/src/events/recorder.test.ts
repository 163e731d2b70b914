import type { Event, Pod } from '@tkube/api';
import { describe, expect, it } from 'vitest';
import { containerFieldPath, KubeletEventRecorder } from './recorder.js';

const pod: Pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', namespace: 'ns1', uid: 'u1' } };

function recorder() {
  const created: Event[] = [];
  const patched: Array<{ name: string; count: number }> = [];
  const sink = {
    create: async (event: Event) => created.push(event),
    patchCount: async (_ns: string, name: string, count: number) => patched.push({ name, count }),
  };
  const r = new KubeletEventRecorder(sink, 'node-1', undefined, () => new Date('2025-01-01T00:00:00.123Z'));
  return { r, created, patched };
}

describe('KubeletEventRecorder', () => {
  it('posts an event about the pod with the kubelet as source', async () => {
    const { r, created } = recorder();
    r.event(pod, 'Normal', 'Pulled', 'Container image "busybox" already present on machine', containerFieldPath('c'));
    await r.flush();
    expect(created).toHaveLength(1);
    expect(created[0]).toMatchObject({
      metadata: { namespace: 'ns1' },
      involvedObject: { kind: 'Pod', name: 'web', namespace: 'ns1', uid: 'u1', fieldPath: 'spec.containers{c}' },
      reason: 'Pulled',
      type: 'Normal',
      source: { component: 'kubelet', host: 'node-1' },
      count: 1,
      firstTimestamp: '2025-01-01T00:00:00Z',
    });
    expect(created[0]?.metadata?.name).toMatch(/^web\.[0-9a-f]+$/);
  });

  it('counts a repeated event on the first one instead of posting another', async () => {
    const { r, created, patched } = recorder();
    r.event(pod, 'Warning', 'BackOff', 'Back-off restarting failed container');
    r.event(pod, 'Warning', 'BackOff', 'Back-off restarting failed container');
    r.event(pod, 'Warning', 'BackOff', 'Back-off restarting failed container');
    r.event(pod, 'Warning', 'Unhealthy', 'Liveness probe failed');
    await r.flush();
    expect(created.map((e) => e.reason)).toEqual(['BackOff', 'Unhealthy']);
    expect(patched).toEqual([
      { name: created[0]?.metadata?.name, count: 2 },
      { name: created[0]?.metadata?.name, count: 3 },
    ]);
  });

  it('survives a failing sink and reports the error', async () => {
    const errors: unknown[] = [];
    const sink = {
      create: async () => {
        throw new Error('down');
      },
      patchCount: async () => undefined,
    };
    const r = new KubeletEventRecorder(sink, 'node-1', (err) => errors.push(err));
    r.event(pod, 'Normal', 'Started', 'Started container c');
    await r.flush();
    expect(errors).toHaveLength(1);
  });
});
