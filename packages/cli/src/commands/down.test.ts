import { access, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DNS_MAIN, PROXY_MAIN } from '../cluster/built-programs.js';
import { writeClusterSettings } from '../cluster/cluster-settings.js';
import { dataDir } from '../cluster/data-dir.js';
import { networkTeardownCommand } from '../cluster/node-components.js';
import type { NodeSettings } from '../cluster/node-settings.js';
import { type Script, scriptedCommands } from '../purge/testing/scripted-commands.js';
import { RecordingOutput } from '../steps/output.js';
import { down } from './down.js';

let root: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'tkube-down-'));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

const NODES: NodeSettings[] = [
  { name: 'tkube-node-1', bridge: 'tkt210', kubeletPort: 10250, runtime: 'docker', clusterCidr: '10.244.208.0/22' },
  { name: 'tkube-node-2', bridge: 'tkt211', kubeletPort: 10251, runtime: 'docker', clusterCidr: '10.244.208.0/22' },
];

async function recordTwoNodes(dir: string): Promise<void> {
  await mkdir(join(dir, 'logs'), { recursive: true });
  await writeClusterSettings(join(dir, 'cluster.json'), {
    ports: { apiserver: 16443, grpc: 16444, nats: 14222 },
    nodes: {
      options: { count: 2, runtime: 'docker', clusterCidr: '10.244.208.0/22', bridgePrefix: 'tkt' },
      nodes: NODES,
    },
  });
}

/** The network plugin's teardown of each node, answering that its chains and bridge went. */
function teardownScript(dir: string): Script {
  const script: Script = {};
  for (const node of NODES) {
    const { file, args } = networkTeardownCommand(node, dataDir(dir));
    const removals = [
      { kind: 'chain', name: `filter TKUBE-FWD-${node.bridge}`, outcome: 'removed' },
      { kind: 'chain', name: `nat TKUBE-MASQ-${node.bridge}`, outcome: 'removed' },
      { kind: 'bridge', name: node.bridge, outcome: 'removed' },
    ];
    script[[file, ...args].join(' ')] = { stdout: JSON.stringify({ bridge: node.bridge, removals }) };
  }
  return script;
}

function teardownOf(dir: string, node: NodeSettings): string {
  const { file, args } = networkTeardownCommand(node, dataDir(dir));
  return [file, ...args].join(' ');
}

describe('tkube down --purge', () => {
  it('removes each node’s containers and network, then the data dir, printing each step', async () => {
    const dir = join(root, 'c');
    await recordTwoNodes(dir);
    const commands = scriptedCommands(teardownScript(dir));
    const output = new RecordingOutput();
    expect(await down({ dataDir: dir, purge: true, commands }, output)).toBe(0);

    expect(output.lines.filter((l) => l.startsWith('✓'))).toEqual([
      '✓ Removing the proxy rules of tkube-node-1  removed',
      '✓ Removing the containers of tkube-node-1  none left',
      '✓ Removing the network of tkube-node-1 (bridge tkt210)  removed 2 chain(s), the bridge',
      '✓ Removing the proxy rules of tkube-node-2  removed',
      '✓ Removing the containers of tkube-node-2  none left',
      '✓ Removing the network of tkube-node-2 (bridge tkt211)  removed 2 chain(s), the bridge',
      "✓ Removing the cluster DNS's interface tktdns  removed",
      `✓ Removing the data dir  ${dir}: removed`,
    ]);
    expect(commands.calls).toContain(`${process.execPath} ${PROXY_MAIN} --cleanup --instance tkube-node-1@tkt210`);
    expect(commands.calls).toContain(`${process.execPath} ${DNS_MAIN} --cleanup --interface tktdns`);
    expect(commands.calls).toContain(
      'docker ps --all --quiet --no-trunc --filter label=io.tkube.cri.instance=tkube-node-2@tkt211',
    );
    expect(commands.calls).toContain(teardownOf(dir, NODES[1] as NodeSettings));
    await expect(access(dir)).rejects.toThrow(/ENOENT/);
  });

  it('can run again once everything is gone', async () => {
    const dir = join(root, 'c');
    await recordTwoNodes(dir);
    await down({ dataDir: dir, purge: true, commands: scriptedCommands(teardownScript(dir)) }, new RecordingOutput());
    const again = new RecordingOutput();
    expect(await down({ dataDir: dir, purge: true, commands: scriptedCommands() }, again)).toBe(0);
    expect(again.lines).toContain(`✓ Removing the data dir  ${dir}: already gone`);
  });

  it('stops at a failing step, says how to go on, and keeps the data dir', async () => {
    const dir = join(root, 'c');
    await recordTwoNodes(dir);
    const commands = scriptedCommands({
      ...teardownScript(dir),
      [teardownOf(dir, NODES[0] as NodeSettings)]: {
        code: 1,
        stderr: 'tkube-cni-bridge: the teardown of bridge tkt210 failed: RTNETLINK answers: Operation not permitted',
      },
    });
    const output = new RecordingOutput();
    expect(await down({ dataDir: dir, purge: true, commands }, output)).toBe(1);
    expect(output.lines).toContain('✗ Removing the network of tkube-node-1 (bridge tkt210)');
    expect(output.lines.join('\n')).toMatch(/Operation not permitted[\s\S]*tkube down --purge --data-dir/);
    await access(join(dir, 'cluster.json'));
  });

  it('leaves the host alone without --purge', async () => {
    const dir = join(root, 'c');
    await recordTwoNodes(dir);
    const commands = scriptedCommands();
    expect(await down({ dataDir: dir, commands }, new RecordingOutput())).toBe(0);
    expect(commands.calls).toEqual([]);
    await access(join(dir, 'cluster.json'));
  });
});
