import type { Pod } from '@tkube/api';
import { describe, expect, it } from 'vitest';
import { podLabels } from '../runtime/labels.js';
import { FakeRuntime } from '../testing/fake-runtime.js';
import { Pleg } from './pleg.js';

describe('Pleg', () => {
  it('reports the pods whose containers changed state, appeared or went', async () => {
    const runtime = new FakeRuntime();
    const pod: Pod = { metadata: { name: 'p', namespace: 'ns', uid: 'u1' } };
    const { podSandboxId } = await runtime.runPodSandbox({
      config: { metadata: { name: 'p' }, labels: podLabels(pod) },
    });
    const { containerId } = await runtime.createContainer({
      podSandboxId,
      config: { metadata: { name: 'c' }, labels: podLabels(pod) },
    });
    await runtime.startContainer({ containerId });
    const seen: string[] = [];
    const pleg = new Pleg(runtime, (uid) => seen.push(uid));
    expect([...(await pleg.relist())]).toEqual(['u1']);
    expect([...(await pleg.relist())]).toEqual([]);
    runtime.exit(containerId, 1);
    expect([...(await pleg.relist())]).toEqual(['u1']);
    await runtime.removeContainer({ containerId });
    expect([...(await pleg.relist())]).toEqual(['u1']);
    expect(seen).toEqual(['u1', 'u1', 'u1']);
  });
});
