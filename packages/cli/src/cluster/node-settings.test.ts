import { createServer, type Server } from 'node:net';
import { describe, expect, it } from 'vitest';
import {
  chooseNodes,
  DEFAULT_NODE_OPTIONS,
  FIRST_KUBELET_PORT,
  NodeOptionsChangedError,
  type NodePlan,
  nodeOptionsProblem,
  planNodeLayout,
} from './node-settings.js';
import { isPortFree } from './ports.js';

async function occupy(port: number): Promise<Server | undefined> {
  if (!(await isPortFree(port))) return undefined; // someone else holds it: just as good
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return server;
}

describe('planNodeLayout', () => {
  it('makes the default single node tkube-node-1 on tkube1, 10.244.1.0/24', () => {
    expect(planNodeLayout(DEFAULT_NODE_OPTIONS)).toEqual([
      { name: 'tkube-node-1', podCIDR: '10.244.1.0/24', bridge: 'tkube1', runtime: 'docker' },
    ]);
  });

  it('numbers nodes from the subnet start with the bridge prefix', () => {
    expect(planNodeLayout({ count: 2, runtime: 'fake', subnetStart: 230, bridgePrefix: 'tkt' })).toEqual([
      { name: 'tkube-node-1', podCIDR: '10.244.230.0/24', bridge: 'tkt230', runtime: 'fake' },
      { name: 'tkube-node-2', podCIDR: '10.244.231.0/24', bridge: 'tkt231', runtime: 'fake' },
    ]);
  });

  it.each([
    [{ count: 0 }, /--nodes must be 1 or more/],
    [{ subnetStart: 256 }, /--node-subnet-start must be between 0 and 255/],
    [{ count: 3, subnetStart: 254 }, /3 node\(s\) from --node-subnet-start 254 need 10\.244\.256\.0\/24/],
    [{ bridgePrefix: 'br/0' }, /--bridge-prefix must be a letter/],
    [{ bridgePrefix: '0br' }, /--bridge-prefix must be a letter/],
    [{ bridgePrefix: 'abcdefghijklm', subnetStart: 100 }, /"abcdefghijklm100" is longer than 15 characters/],
  ])('refuses %j', (change, message) => {
    const options = { ...DEFAULT_NODE_OPTIONS, ...change };
    expect(nodeOptionsProblem(options)).toMatch(message);
    expect(() => planNodeLayout(options)).toThrow(message);
  });

  it('accepts a 15-character bridge name', () => {
    expect(nodeOptionsProblem({ ...DEFAULT_NODE_OPTIONS, bridgePrefix: 'abcdefghijkl', subnetStart: 100 })).toBe(
      undefined,
    );
  });
});

describe('chooseNodes', () => {
  it('starts kubelet ports at 10250, skipping taken ones and the ones to avoid', async () => {
    const held = await occupy(FIRST_KUBELET_PORT + 1);
    try {
      const plan = await chooseNodes({ count: 3 }, undefined, new Set([FIRST_KUBELET_PORT + 2]));
      const ports = plan.nodes.map((n) => n.kubeletPort);
      expect(plan.options).toEqual({ ...DEFAULT_NODE_OPTIONS, count: 3 });
      expect(new Set(ports).size).toBe(3);
      expect(ports).not.toContain(FIRST_KUBELET_PORT + 1);
      expect(ports).not.toContain(FIRST_KUBELET_PORT + 2);
      if (await isPortFree(FIRST_KUBELET_PORT)) expect(ports[0]).toBe(FIRST_KUBELET_PORT);
    } finally {
      held?.close();
    }
  });

  const recorded: NodePlan = {
    options: { count: 2, runtime: 'docker', subnetStart: 230, bridgePrefix: 'tkt' },
    nodes: [
      { name: 'tkube-node-1', podCIDR: '10.244.230.0/24', bridge: 'tkt230', kubeletPort: 20001, runtime: 'docker' },
      { name: 'tkube-node-2', podCIDR: '10.244.231.0/24', bridge: 'tkt231', kubeletPort: 20002, runtime: 'docker' },
    ],
  };

  it('keeps the recorded nodes and their ports when the flags agree or are absent', async () => {
    expect(await chooseNodes({}, recorded, new Set())).toEqual(recorded);
    expect(await chooseNodes({ count: 2, bridgePrefix: 'tkt' }, recorded, new Set())).toEqual(recorded);
  });

  it('names every flag that differs from the recorded nodes', async () => {
    const attempt = chooseNodes({ count: 3, runtime: 'fake', bridgePrefix: 'tkt' }, recorded, new Set());
    await expect(attempt).rejects.toThrow(NodeOptionsChangedError);
    await expect(attempt).rejects.toThrow(/--nodes 3 \(it has 2\), --runtime fake \(it has docker\)$/);
  });
});
