import type { Pod } from '@tkube/api';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeRuntime } from '../testing/fake-runtime.js';
import { podHarness } from '../testing/pod-harness.js';

type Harness = Awaited<ReturnType<typeof podHarness>>;
let h: Harness | undefined;
afterEach(async () => {
  await h?.cleanup();
  h = undefined;
});

function pod(spec: Partial<NonNullable<Pod['spec']>> = {}): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'web', namespace: 'default', uid: 'uid-1' },
    spec: {
      nodeName: 'node-1',
      containers: [{ name: 'web', image: 'busybox:1.35', command: ['httpd', '-f'] }],
      ...spec,
    },
  };
}

describe('pods and the node pod CIDR', () => {
  it('passes the pod CIDR to the network plugin as ipRanges beside the port mappings', async () => {
    h = await podHarness({ podCidr: '10.244.7.0/24' });
    await h.apply(
      pod({
        containers: [
          { name: 'web', image: 'busybox:1.35', ports: [{ containerPort: 80, hostPort: 8080, protocol: 'TCP' }] },
        ],
      }),
    );
    expect(h.network.adds).toHaveLength(1);
    expect(h.network.adds[0]?.runtimeConfig).toEqual({
      portMappings: [{ hostPort: 8080, containerPort: 80, protocol: 'tcp', hostIp: '' }],
      ipRanges: [{ ranges: [{ subnet: '10.244.7.0/24', gateway: '' }] }],
    });
  });

  it('makes no sandbox while the node has no pod CIDR, then runs the pod once it has one', async () => {
    h = await podHarness({ podCidr: null });
    const p = pod();
    await h.apply(p);
    expect(h.runtime.calls.filter((c) => c.startsWith('runPodSandbox'))).toEqual([]);
    expect(h.network.adds).toEqual([]);
    expect(h.lastStatus()).toMatchObject({ phase: 'Pending' });
    expect(h.lastStatus()?.containerStatuses?.[0]?.state?.waiting?.reason).toBe('ContainerCreating');
    expect(h.events.filter((e) => e.reason === 'NetworkNotReady').map((e) => [e.type, e.message])).toEqual([
      ['Warning', 'network is not ready: the node has no pod CIDR yet'],
    ]);

    h.setPodCidr('10.244.7.0/24');
    await h.sync(p);
    expect(h.runtime.calls).toContain('runPodSandbox web');
    expect(h.network.adds[0]?.runtimeConfig?.ipRanges).toEqual([
      { ranges: [{ subnet: '10.244.7.0/24', gateway: '' }] },
    ]);
    expect(h.lastStatus()).toMatchObject({ phase: 'Running', podIP: '10.244.9.2' });
  });

  it('also holds back a pod whose runtime hands out its IP itself, which needs the CIDR too', async () => {
    const runtime = new FakeRuntime();
    runtime.ownPodIp = '10.244.7.5';
    h = await podHarness({ runtime, podCidr: null });
    await h.apply(pod());
    expect(runtime.sandboxes.size).toBe(0);
    h.setPodCidr('10.244.7.0/24');
    await h.sync(pod());
    expect(h.lastStatus()).toMatchObject({ phase: 'Running', podIP: '10.244.7.5' });
  });

  it('runs a hostNetwork pod without a pod CIDR', async () => {
    h = await podHarness({ podCidr: null });
    await h.apply(pod({ hostNetwork: true }));
    expect(h.runtime.calls).toContain('runPodSandbox web');
    expect(h.events.some((e) => e.reason === 'NetworkNotReady')).toBe(false);
    expect(h.lastStatus()).toMatchObject({ phase: 'Running', podIP: '127.0.0.1' });
  });
});
