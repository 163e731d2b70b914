import { describe, expect, it } from 'vitest';
import { FakeEngine } from '../testing/fake-engine.js';
import { INSTANCE_LABEL, scopedEngine } from './scoped-engine.js';

const spec = (name: string) => ({ name, image: 'busybox:1.35', labels: { app: 'x' }, networkMode: 'none' });

describe('scopedEngine', () => {
  it('lets two nodes share one Docker engine without seeing each other’s containers', async () => {
    const docker = new FakeEngine();
    docker.addImage('busybox:1.35');
    const node1 = scopedEngine(docker, 'node-1');
    const node2 = scopedEngine(docker, 'node-2');

    const id = await node1.createContainer(spec('a'));

    expect((await node1.listContainers({ app: 'x' })).map((c) => c.id)).toEqual([id]);
    expect(await node2.listContainers({ app: 'x' })).toEqual([]);
    expect((await node1.inspectContainer(id))?.labels[INSTANCE_LABEL]).toBe('node-1');
    expect(await node2.inspectContainer(id)).toBeUndefined();
    // Everything else goes to the engine unchanged.
    expect(await node2.version()).toEqual(await docker.version());
  });
});
