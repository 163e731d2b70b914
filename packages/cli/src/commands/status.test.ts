import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeClusterSettings } from '../cluster/cluster-settings.js';
import { RecordingOutput } from '../steps/output.js';
import { formatTable, status } from './status.js';

describe('tkube status', () => {
  it('shows every component stopped in an empty data dir, and fails', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tkube-status-'));
    try {
      const output = new RecordingOutput();
      expect(await status({ dataDir: dir }, output)).toBe(1);
      expect(output.lines[0]).toBe(`data dir: ${dir}`);
      expect(output.lines[1]).toMatch(/^COMPONENT\s+STATE\s+PID\s+ADDRESS\s+READY\s+HEALTH$/);
      expect(output.lines[2]).toMatch(/^nats\s+stopped\s+-\s+nats:\/\/127\.0\.0\.1:4222\s+no\s+-$/);
      expect(output.lines[3]).toMatch(/^apiserver\s+stopped\s+-\s+https:\/\/127\.0\.0\.1:6443\s+no\s+-$/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("lists each node's runtime, network plugin and kubelet, then the nodes", async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tkube-status-'));
    try {
      const nodes = [1, 2].map((i) => ({
        name: `tkube-node-${i}`,
        clusterCidr: '10.244.0.0/16',
        bridge: `tkube${i}`,
        kubeletPort: 10249 + i,
        runtime: 'docker' as const,
      }));
      await writeClusterSettings(join(dir, 'cluster.json'), {
        ports: { apiserver: 16443, grpc: 16444, nats: 14222 },
        nodes: { options: { count: 2, runtime: 'docker', clusterCidr: '10.244.0.0/16', bridgePrefix: 'tkube' }, nodes },
      });
      const output = new RecordingOutput();
      expect(await status({ dataDir: dir }, output)).toBe(1);
      const blank = output.lines.indexOf('', 2);
      const componentLines = output.lines.slice(2, blank);
      const names = componentLines.map((line) => line.split(/\s+/)[0]);
      // The control plane first, in start order, then each node's four processes.
      expect(names.slice(0, 2)).toEqual(['nats', 'apiserver']);
      expect(names.slice(-8)).toEqual([
        'cri-tkube-node-1',
        'cri-tkube-node-2',
        'cni-tkube-node-1',
        'cni-tkube-node-2',
        'kubelet-tkube-node-1',
        'kubelet-tkube-node-2',
        'proxy-tkube-node-1',
        'proxy-tkube-node-2',
      ]);
      const lineOf = (name: string) => componentLines.find((line) => line.startsWith(`${name} `));
      expect(lineOf('cri-tkube-node-1')).toMatch(
        new RegExp(`^cri-tkube-node-1\\s+stopped\\s+-\\s+unix://${dir}/run/tkube-node-1/cri\\.sock\\s+no\\s+-$`),
      );
      expect(lineOf('kubelet-tkube-node-2')).toMatch(
        /^kubelet-tkube-node-2\s+stopped\s+-\s+https:\/\/127\.0\.0\.1:10251\s+no\s+-$/,
      );
      expect(output.lines.slice(blank)).toEqual([
        '',
        'NODE           BRIDGE   RUNTIME   KUBELET PORT',
        'tkube-node-1   tkube1   docker    10250',
        'tkube-node-2   tkube2   docker    10251',
        'pods in 10.244.0.0/16: kubectl get nodes -o custom-columns=NAME:.metadata.name,POD-CIDR:.spec.podCIDR',
      ]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('lines columns up', () => {
    expect(
      formatTable([
        ['A', 'BB'],
        ['ccc', 'd'],
      ]),
    ).toEqual(['A     BB', 'ccc   d']);
  });
});
