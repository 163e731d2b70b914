import { describe, expect, it } from 'vitest';
import { dataDir } from '../cluster/data-dir.js';
import { networkTeardownCommand } from '../cluster/node-components.js';
import type { NodeSettings } from '../cluster/node-settings.js';
import { StepError } from '../steps/step-runner.js';
import { removeNodeNetwork } from './node-network.js';
import { scriptedCommands } from './testing/scripted-commands.js';

const node: NodeSettings = {
  name: 'tkube-node-1',
  clusterCidr: '10.244.200.0/22',
  bridge: 'tkt201',
  kubeletPort: 10250,
  runtime: 'docker',
};
const dir = dataDir('/data');
const teardown = networkTeardownCommand(node, dir);
const TEARDOWN = [teardown.file, ...teardown.args].join(' ');

function report(outcomes: Array<[kind: string, name: string, outcome: string]>): string {
  const removals = outcomes.map(([kind, name, outcome]) => ({ kind, name, outcome }));
  return `${JSON.stringify({ bridge: 'tkt201', removals })}\n`;
}

describe('removeNodeNetwork', () => {
  it('runs the network plugin’s teardown for the node and sums up what it removed', async () => {
    const commands = scriptedCommands({
      [TEARDOWN]: {
        stdout: report([
          ['veth', 'veth1a2b3c4d', 'removed'],
          ['veth', 'veth55667788', 'removed'],
          ['jump', 'filter FORWARD -> TKUBE-FWD-tkt201', 'removed'],
          ['chain', 'filter TKUBE-FWD-tkt201', 'removed'],
          ['jump', 'nat POSTROUTING -> TKUBE-MASQ-tkt201', 'already gone'],
          ['chain', 'nat TKUBE-MASQ-tkt201', 'removed'],
          ['bridge', 'tkt201', 'removed'],
          ['ipam-state', '/data/nodes/tkube-node-1/cni/networks/tkt201', 'removed'],
        ]),
      },
    });
    expect(await removeNodeNetwork(commands, node, dir)).toBe(
      'removed 2 veth(s), 1 jump(s), 2 chain(s), the bridge, the IPAM state',
    );
    expect(commands.calls).toEqual([TEARDOWN]);
  });

  it('says none left when the plugin found everything already gone', async () => {
    const commands = scriptedCommands({
      [TEARDOWN]: { stdout: report([['bridge', 'tkt201', 'already gone']]) },
    });
    expect(await removeNodeNetwork(commands, node, dir)).toBe('none left');
  });

  it('fails with the plugin’s message when it could not remove something', async () => {
    const commands = scriptedCommands({
      [TEARDOWN]: {
        code: 1,
        stdout: report([]),
        stderr: 'tkube-cni-bridge: the teardown of bridge tkt201 failed: Permission denied (you must be root)\n',
      },
    });
    await expect(removeNodeNetwork(commands, node, dir)).rejects.toThrow(
      'the network plugin could not tear down tkt201 (exit 1): tkube-cni-bridge: the teardown of bridge tkt201 failed: Permission denied (you must be root)',
    );
  });

  it('says to build the plugin when it is not built', async () => {
    const commands = scriptedCommands({
      [TEARDOWN]: { code: 1, stderr: "Error: Cannot find module '/repo/plugins/cni-bridge/dist/main.js'" },
    });
    const error = await removeNodeNetwork(commands, node, dir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StepError);
    expect((error as StepError).hints).toEqual(['the plugin is not built: run "npm run build"']);
  });

  it('fails on a report it cannot read', async () => {
    const commands = scriptedCommands({ [TEARDOWN]: { stdout: 'removed: bridge tkt201\n' } });
    await expect(removeNodeNetwork(commands, node, dir)).rejects.toThrow(/report is not JSON: removed: bridge/);
    const empty = scriptedCommands({ [TEARDOWN]: { stdout: '{"bridge":"tkt201"}' } });
    await expect(removeNodeNetwork(empty, node, dir)).rejects.toThrow(/no list of removals/);
  });
});
