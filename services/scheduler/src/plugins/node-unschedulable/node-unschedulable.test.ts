import { describe, expect, it } from 'vitest';
import { makeNode, makePod } from '../testing/builders.js';
import { nodeInfosOf } from '../testing/node-infos.js';
import { describeStatuses, runFilter } from '../testing/run-plugin.js';
import { NodeUnschedulable } from './node-unschedulable.js';

const cordoned = makeNode().name('node').unschedulable().obj();
const open = makeNode().name('node').obj();

describe('NodeUnschedulable', () => {
  it.each([
    ['a pod on a schedulable node', makePod().obj(), open, 'Success'],
    ['a pod on a cordoned node', makePod().obj(), cordoned, 'UnschedulableAndUnresolvable: node(s) were unschedulable'],
    [
      'a pod tolerating node.kubernetes.io/unschedulable on a cordoned node',
      makePod().toleration({ key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' }).obj(),
      cordoned,
      'Success',
    ],
    ['a pod tolerating everything', makePod().toleration({ operator: 'Exists' }).obj(), cordoned, 'Success'],
  ])('%s', (_name, pod, node, expected) => {
    expect(describeStatuses(runFilter(new NodeUnschedulable(), pod, nodeInfosOf([node])).statuses).node).toBe(expected);
  });
});
