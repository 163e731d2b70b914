import type { Node } from '@tkube/api';
import { afterEach, describe, expect, it } from 'vitest';
import type { RunningController } from '../framework/index.js';
import { FakeClient, SharedInformers, silentLogger } from '../framework/index.js';
import { NODES, startNodeIpamController } from './controller.js';

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

describe('node IPAM controller', () => {
  let informers: SharedInformers;
  let controller: RunningController;

  afterEach(async () => {
    await controller.stop();
    await informers.stop();
  });

  it('gives new nodes the next free /24, keeping clear of those in use', async () => {
    const client = new FakeClient();
    client.seed(NODES, { metadata: { name: 'old' }, spec: { podCIDR: '10.244.0.0/24', podCIDRs: ['10.244.0.0/24'] } });
    client.seed(NODES, { metadata: { name: 'new-1' } });
    informers = new SharedInformers({ client });
    controller = startNodeIpamController({ client, informers, logger: silentLogger });
    informers.start();

    await eventually(() => expect(client.peek<Node>(NODES, '', 'new-1')?.spec?.podCIDR).toBe('10.244.1.0/24'));
    expect(client.peek<Node>(NODES, '', 'new-1')?.spec?.podCIDRs).toEqual(['10.244.1.0/24']);

    await client.create(NODES, { metadata: { name: 'new-2' } });
    await eventually(() => expect(client.peek<Node>(NODES, '', 'new-2')?.spec?.podCIDRs).toEqual(['10.244.2.0/24']));
    expect(client.writes.filter((w) => w.verb === 'patch' && w.name === 'old')).toEqual([]);
  });
});
