import type { Lease, Node, Pod } from '@tkube/api';
import { FakeClock } from '@tkube/client';
import { afterEach, describe, expect, it } from 'vitest';
import type { RunningController } from '../framework/index.js';
import { FakeClient, SharedInformers, silentLogger } from '../framework/index.js';
import { LEASES, NODES, PODS, startNodeLifecycleController } from './controller.js';

async function eventually(assertion: () => void): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      assertion();
      return;
    } catch (err) {
      if (attempt >= 100) throw err;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 100));

function pod(name: string, tolerationSeconds?: number): Pod {
  return {
    metadata: { name, namespace: 'default' },
    spec: {
      nodeName: 'n1',
      containers: [{ name: 'c' }],
      tolerations:
        tolerationSeconds === undefined
          ? []
          : [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds }],
    },
  };
}

describe('node lifecycle controller', () => {
  let informers: SharedInformers;
  let controller: RunningController;

  afterEach(async () => {
    await controller.stop();
    await informers.stop();
  });

  it('marks a silent node Unknown and tainted, evicts its pods after their tolerations, and untaints it when it returns', async () => {
    const client = new FakeClient();
    const clock = new FakeClock();
    client.seed(NODES, {
      metadata: { name: 'n1' },
      status: { conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady' }] },
    });
    client.seed(LEASES, {
      metadata: { name: 'n1', namespace: 'kube-node-lease' },
      spec: { holderIdentity: 'n1', renewTime: '2026-01-01T00:00:00.000000Z' },
    });
    client.seed(PODS, pod('default-toleration'));
    client.seed(PODS, pod('short-toleration', 10));
    informers = new SharedInformers({ client });
    controller = startNodeLifecycleController({
      client,
      informers,
      logger: silentLogger,
      clock,
      gracePeriodMs: 40_000,
      podEvictionTimeoutMs: 60_000,
    });
    informers.start();
    await settle();
    clock.step(30_000);
    await settle();
    expect(client.writes).toEqual([]);

    clock.step(15_000);
    await eventually(() => {
      const node = client.peek<Node>(NODES, '', 'n1');
      expect(node?.status?.conditions?.find((c) => c.type === 'Ready')).toMatchObject({
        status: 'Unknown',
        reason: 'NodeStatusUnknown',
        message: 'Kubelet stopped posting node status.',
      });
      expect(node?.spec?.taints?.map((t) => `${t.key}:${t.effect}`)).toEqual([
        'node.kubernetes.io/unreachable:NoSchedule',
        'node.kubernetes.io/unreachable:NoExecute',
      ]);
    });
    expect(client.peek(PODS, 'default', 'short-toleration')).toBeDefined();

    clock.step(10_000);
    await eventually(() => expect(client.peek(PODS, 'default', 'short-toleration')).toBeUndefined());
    expect(client.peek(PODS, 'default', 'default-toleration')).toBeDefined();
    clock.step(50_000);
    await eventually(() => expect(client.peek(PODS, 'default', 'default-toleration')).toBeUndefined());

    // The kubelet comes back: renews its lease and posts Ready.
    const lease = client.peek<Lease>(LEASES, 'kube-node-lease', 'n1');
    await client.update(
      { ...LEASES, namespace: 'kube-node-lease' },
      {
        ...lease,
        spec: { ...lease?.spec, renewTime: '2026-01-01T00:02:00.000000Z' },
      },
    );
    const node = client.peek<Node>(NODES, '', 'n1');
    await client.updateStatus(NODES, { ...node, status: { conditions: [{ type: 'Ready', status: 'True' }] } });
    await eventually(() => expect(client.peek<Node>(NODES, '', 'n1')?.spec?.taints).toEqual([]));
  });

  it('leaves a node that keeps renewing its lease alone', async () => {
    const client = new FakeClient();
    const clock = new FakeClock();
    client.seed(NODES, { metadata: { name: 'n1' }, status: { conditions: [{ type: 'Ready', status: 'True' }] } });
    client.seed(LEASES, { metadata: { name: 'n1', namespace: 'kube-node-lease' }, spec: { renewTime: 't0' } });
    informers = new SharedInformers({ client });
    controller = startNodeLifecycleController({ client, informers, logger: silentLogger, clock });
    informers.start();
    await settle();
    for (let second = 1; second <= 6; second++) {
      clock.step(10_000);
      const lease = client.peek<Lease>(LEASES, 'kube-node-lease', 'n1');
      await client.update({ ...LEASES, namespace: 'kube-node-lease' }, { ...lease, spec: { renewTime: `t${second}` } });
      await settle();
    }
    expect(client.writes.filter((w) => w.resource !== 'leases')).toEqual([]);
  });
});
