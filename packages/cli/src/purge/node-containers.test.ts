import { describe, expect, it } from 'vitest';
import { removeNodeContainers } from './node-containers.js';
import { scriptedCommands } from './testing/scripted-commands.js';

const LIST = 'docker ps --all --quiet --no-trunc --filter label=io.tkube.cri.instance=tkube-node-1@tkt201';

describe('removeNodeContainers', () => {
  it('force-removes every container labelled with the node instance, and only those', async () => {
    const commands = scriptedCommands({ [LIST]: { stdout: 'aaa111\nbbb222\n' } });
    expect(await removeNodeContainers(commands, 'tkube-node-1@tkt201')).toBe('2 removed');
    expect(commands.calls).toEqual([LIST, 'docker rm --force --volumes aaa111 bbb222']);
  });

  it('removes nothing when none is left', async () => {
    const commands = scriptedCommands();
    expect(await removeNodeContainers(commands, 'tkube-node-1@tkt201')).toBe('none left');
    expect(commands.calls).toEqual([LIST]);
  });

  it('passes when docker is not installed', async () => {
    const commands = scriptedCommands({ [LIST]: 'not installed' });
    expect(await removeNodeContainers(commands, 'tkube-node-1@tkt201')).toMatch(/docker is not installed/);
  });

  it('fails with docker’s message when the engine does not answer', async () => {
    const commands = scriptedCommands({ [LIST]: { code: 1, stderr: 'Cannot connect to the Docker daemon' } });
    await expect(removeNodeContainers(commands, 'tkube-node-1@tkt201')).rejects.toThrow(
      /docker ps .* failed \(exit 1\): Cannot connect to the Docker daemon/,
    );
  });
});
