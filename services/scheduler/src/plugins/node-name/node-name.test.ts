import { describe, expect, it } from 'vitest';
import { makeNode, makePod } from '../testing/builders.js';
import { nodeInfosOf } from '../testing/node-infos.js';
import { describeStatuses, runFilter } from '../testing/run-plugin.js';
import { NodeName } from './node-name.js';

const nodes = nodeInfosOf([makeNode().name('foo').obj(), makeNode().name('bar').obj()]);

describe('NodeName', () => {
  it('lets a pod without spec.nodeName onto any node', () => {
    const run = runFilter(new NodeName(), makePod().obj(), nodes);
    expect(run.preFilter.code).toBe('Skip');
    expect(describeStatuses(run.statuses)).toEqual({ foo: 'Success', bar: 'Success' });
  });

  it('lets a pod with spec.nodeName only onto that node, and narrows PreFilter to it', () => {
    const run = runFilter(new NodeName(), makePod().node('foo').obj(), nodes);
    expect([...(run.nodeNames ?? [])]).toEqual(['foo']);
    expect(describeStatuses(run.statuses)).toEqual({
      foo: 'Success',
      bar: "UnschedulableAndUnresolvable: node(s) didn't match the requested node name",
    });
  });
});
