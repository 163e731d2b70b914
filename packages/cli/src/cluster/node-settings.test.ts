import { createServer, type Server } from 'node:net';
import { describe, expect, it } from 'vitest';
import {
  chooseNodes,
  DEFAULT_NODE_OPTIONS,
  FIRST_KUBELET_PORT,
  NodeOptionsChangedError,
  type NodePlan,
  nodeOptionsProblem,
  nodePlanOf,
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
  it('makes the default single node tkube-node-1 on tkube1, its pods in 10.244.0.0/16', () => {
    expect(planNodeLayout(DEFAULT_NODE_OPTIONS)).toEqual([
      { name: 'tkube-node-1', bridge: 'tkube1', runtime: 'docker', clusterCidr: '10.244.0.0/16' },
    ]);
  });

  it('numbers nodes and their bridges from 1', () => {
    const options = {
      ...DEFAULT_NODE_OPTIONS,
      count: 2,
      runtime: 'fake' as const,
      clusterCidr: '10.244.228.0/22',
      bridgePrefix: 'tkt9-',
    };
    expect(planNodeLayout(options)).toEqual([
      { name: 'tkube-node-1', bridge: 'tkt9-1', runtime: 'fake', clusterCidr: '10.244.228.0/22' },
      { name: 'tkube-node-2', bridge: 'tkt9-2', runtime: 'fake', clusterCidr: '10.244.228.0/22' },
    ]);
  });

  it.each([
    [{ count: 0 }, /--nodes must be 1 or more/],
    [{ clusterCidr: '10.244.0.0/25' }, /--cluster-cidr must be an IPv4 network block from \/8 to \/24/],
    [{ clusterCidr: 'ten' }, /--cluster-cidr must be an IPv4 network block/],
    [{ count: 3, clusterCidr: '10.244.254.0/23' }, /10\.244\.254\.0\/23 holds 2 node block\(s\) of \/24, not 3/],
    [{ clusterCidr: '10.0.0.0/8' }, /overlaps the Service range 10\.96\.0\.0\/12/],
    [{ serviceCidr: '10.96.0.0/29' }, /--service-cidr must be an IPv4 network block from \/8 to \/28/],
    [{ nodePortRange: '32767-30000' }, /--service-node-port-range must be two ports "low-high"/],
    [{ bridgePrefix: 'br/0' }, /--bridge-prefix must be a letter/],
    [{ bridgePrefix: '0br' }, /--bridge-prefix must be a letter/],
    [{ bridgePrefix: 'abcdefghijklmn', count: 10 }, /"abcdefghijklmn10" is longer than 15 characters/],
  ])('refuses %j', (change, message) => {
    const options = { ...DEFAULT_NODE_OPTIONS, ...change };
    expect(nodeOptionsProblem(options)).toMatch(message);
    expect(() => planNodeLayout(options)).toThrow(message);
  });

  it('accepts a 15-character bridge name', () => {
    // ... and the DNS interface's, <prefix>dns, must fit too.
    expect(nodeOptionsProblem({ ...DEFAULT_NODE_OPTIONS, bridgePrefix: 'abcdefghijkl', count: 100 })).toBe(undefined);
    expect(nodeOptionsProblem({ ...DEFAULT_NODE_OPTIONS, bridgePrefix: 'abcdefghijklm' })).toMatch(
      /interface name "abcdefghijklmdns" is longer than 15 characters/,
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
    options: { ...DEFAULT_NODE_OPTIONS, count: 2, clusterCidr: '10.244.228.0/22', bridgePrefix: 'tkt' },
    nodes: [
      { name: 'tkube-node-1', bridge: 'tkt1', kubeletPort: 20001, runtime: 'docker', clusterCidr: '10.244.228.0/22' },
      { name: 'tkube-node-2', bridge: 'tkt2', kubeletPort: 20002, runtime: 'docker', clusterCidr: '10.244.228.0/22' },
    ],
  };

  it('keeps the recorded nodes and their ports when the flags agree or are absent', async () => {
    expect(await chooseNodes({}, recorded, new Set())).toEqual(recorded);
    expect(await chooseNodes({ count: 2, bridgePrefix: 'tkt' }, recorded, new Set())).toEqual(recorded);
  });

  it('names every flag that differs from the recorded nodes', async () => {
    const attempt = chooseNodes(
      { count: 3, runtime: 'fake', bridgePrefix: 'tkt', clusterCidr: '10.244.0.0/16' },
      recorded,
      new Set(),
    );
    await expect(attempt).rejects.toThrow(NodeOptionsChangedError);
    await expect(attempt).rejects.toThrow(
      /--nodes 3 \(it has 2\), --runtime fake \(it has docker\), --cluster-cidr 10\.244\.0\.0\/16 \(it has 10\.244\.228\.0\/22\)$/,
    );
  });

  it('reads a cluster.json from before node IPAM as nodes in the default range', () => {
    const plan = nodePlanOf({
      nodeOptions: { count: 1, runtime: 'docker', subnetStart: 1, bridgePrefix: 'tkube' },
      nodes: [
        { name: 'tkube-node-1', podCIDR: '10.244.1.0/24', bridge: 'tkube1', kubeletPort: 10250, runtime: 'docker' },
      ],
    });
    expect(plan).toEqual({
      options: DEFAULT_NODE_OPTIONS,
      nodes: [
        { name: 'tkube-node-1', bridge: 'tkube1', kubeletPort: 10250, runtime: 'docker', clusterCidr: '10.244.0.0/16' },
      ],
    });
  });
});
