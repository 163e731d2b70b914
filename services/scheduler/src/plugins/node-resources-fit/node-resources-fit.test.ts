import { describe, expect, it } from 'vitest';
import { CycleState } from '../../framework/types.js';
import { podInfoOf } from '../pod-info.js';
import { makeNode, makePod } from '../testing/builders.js';
import { nodeInfoOf, nodeInfosOf } from '../testing/node-infos.js';
import { describeStatuses, runFilter, runScore } from '../testing/run-plugin.js';
import { NodeResourcesFit } from './node-resources-fit.js';

// kube's fit_test: a node with 10m cpu, 20 bytes memory, 32 pods, 5 example.com/aaa, 20 ephemeral-storage.
const node = makeNode()
  .name('node')
  .capacity({ cpu: '10m', memory: '20', pods: '32', 'example.com/aaa': '5', 'ephemeral-storage': '20' })
  .obj();
const using = (cpu: string, memory: string) => makePod().req({ cpu, memory }).obj();

function filterOn(
  pod: ReturnType<typeof using>,
  existing: ReturnType<typeof using>[],
  plugin = new NodeResourcesFit(),
) {
  return describeStatuses(runFilter(plugin, pod, [nodeInfoOf(node, existing)]).statuses).node;
}

describe('NodeResourcesFit filter (kube fit_test enoughRequests)', () => {
  it.each([
    ['no resources requested always fits', makePod().obj(), [using('10m', '20')], 'Success'],
    [
      'too many resources fails',
      using('1m', '1'),
      [using('10m', '20')],
      'Unschedulable: Insufficient cpu, Insufficient memory',
    ],
    [
      'too many resources fails due to init container cpu',
      makePod().req({ cpu: '1m', memory: '1' }).initReq({ cpu: '3m', memory: '1' }).obj(),
      [using('8m', '19')],
      'Unschedulable: Insufficient cpu',
    ],
    [
      'too many resources fails due to highest init container cpu',
      makePod()
        .req({ cpu: '1m', memory: '1' })
        .initReq({ cpu: '3m', memory: '1' })
        .initReq({ cpu: '2m', memory: '1' })
        .obj(),
      [using('8m', '19')],
      'Unschedulable: Insufficient cpu',
    ],
    [
      'too many resources fails due to init container memory',
      makePod().req({ cpu: '1m', memory: '1' }).initReq({ cpu: '1m', memory: '3' }).obj(),
      [using('9m', '19')],
      'Unschedulable: Insufficient memory',
    ],
    [
      'init container fits because it is the max, not the sum',
      makePod()
        .req({ cpu: '1m', memory: '1' })
        .initReq({ cpu: '1m', memory: '1' })
        .initReq({ cpu: '1m', memory: '1' })
        .obj(),
      [using('9m', '19')],
      'Success',
    ],
    ['both resources fit', using('1m', '1'), [using('5m', '5')], 'Success'],
    ['one resource memory fits', using('2m', '1'), [using('9m', '5')], 'Unschedulable: Insufficient cpu'],
    ['one resource cpu fits', using('1m', '2'), [using('5m', '19')], 'Unschedulable: Insufficient memory'],
    ['equal edge case', using('5m', '1'), [using('5m', '19')], 'Success'],
    ['extended resource fits', makePod().req({ 'example.com/aaa': '1' }).obj(), [using('0', '0')], 'Success'],
    [
      'extended resource capacity enforced',
      makePod().req({ 'example.com/aaa': '10' }).obj(),
      [using('0', '0')],
      'Unschedulable: Insufficient example.com/aaa',
    ],
    [
      'extended resource allocatable enforced with existing pod',
      makePod().req({ 'example.com/aaa': '3' }).obj(),
      [makePod().req({ 'example.com/aaa': '3' }).obj()],
      'Unschedulable: Insufficient example.com/aaa',
    ],
    [
      'extended resource not on the node',
      makePod().req({ 'example.com/bbb': '1' }).obj(),
      [],
      'Unschedulable: Insufficient example.com/bbb',
    ],
    [
      'ephemeral storage enforced',
      makePod().req({ 'ephemeral-storage': '25' }).obj(),
      [],
      'Unschedulable: Insufficient ephemeral-storage',
    ],
  ])('%s', (_name, pod, existing, expected) => {
    expect(filterOn(pod, existing)).toBe(expected);
  });

  it('skips ignored extended resources and resource groups', () => {
    const pod = makePod().req({ 'example.com/bbb': '1', 'ignored.io/x': '1' }).obj();
    const plugin = new NodeResourcesFit({
      ignoredResources: ['example.com/bbb'],
      ignoredResourceGroups: ['ignored.io'],
    });
    expect(filterOn(pod, [], plugin)).toBe('Success');
  });

  it('reports "Too many pods" alongside the resource shortfalls', () => {
    const full = makeNode().name('node').capacity({ cpu: '10m', memory: '20', pods: '1' }).obj();
    const run = runFilter(new NodeResourcesFit(), using('1m', '1'), [nodeInfoOf(full, [using('10m', '20')])]);
    expect(describeStatuses(run.statuses).node).toBe(
      'Unschedulable: Too many pods, Insufficient cpu, Insufficient memory',
    );
    const fitsByResources = runFilter(new NodeResourcesFit(), makePod().obj(), [nodeInfoOf(full, [makePod().obj()])]);
    expect(describeStatuses(fitsByResources.statuses).node).toBe('Unschedulable: Too many pods');
  });

  it('answers Error when PreFilter did not run', () => {
    const status = new NodeResourcesFit().filter(new CycleState(), podInfoOf(using('1m', '1')), nodeInfoOf(node));
    expect(status.code).toBe('Error');
  });
});

describe('NodeResourcesFit score (kube least_allocated_test)', () => {
  const twoNodes = (a: Record<string, string>, b: Record<string, string>) => [
    makeNode().name('node1').capacity(a).obj(),
    makeNode().name('node2').capacity(b).obj(),
  ];
  const requested = makePod().req({ cpu: '1000', memory: '2000' }).req({ cpu: '2000', memory: '3000' }).obj();

  it.each([
    [
      'nothing scheduled, nothing requested',
      makePod().obj(),
      twoNodes({ cpu: '4000', memory: '10000' }, { cpu: '4000', memory: '10000' }),
      [],
      [100, 100],
    ],
    [
      'nothing scheduled, resources requested, differently sized nodes',
      requested,
      twoNodes({ cpu: '4000', memory: '10000' }, { cpu: '6000', memory: '10000' }),
      [],
      [37, 50],
    ],
    [
      'no resources requested, pods scheduled with resources',
      makePod().obj(),
      twoNodes({ cpu: '10000', memory: '20000' }, { cpu: '10000', memory: '20000' }),
      [
        makePod().node('node1').req({ cpu: '3000', memory: '0' }).obj(),
        makePod().node('node1').req({ cpu: '3000', memory: '0' }).obj(),
        makePod().node('node2').req({ cpu: '3000', memory: '0' }).obj(),
        makePod().node('node2').req({ cpu: '3000', memory: '5000' }).obj(),
      ],
      [70, 57],
    ],
    [
      'resources requested, pods scheduled with resources, differently sized nodes',
      requested,
      twoNodes({ cpu: '10000', memory: '20000' }, { cpu: '10000', memory: '50000' }),
      [
        makePod().node('node1').req({ cpu: '3000', memory: '0' }).obj(),
        makePod().node('node2').req({ cpu: '3000', memory: '5000' }).obj(),
      ],
      [57, 60],
    ],
    [
      'requested resources exceed node capacity',
      makePod().req({ cpu: '3000', memory: '0' }).obj(),
      twoNodes({ cpu: '4000', memory: '10000' }, { cpu: '4000', memory: '10000' }),
      [
        makePod().node('node1').req({ cpu: '3000', memory: '0' }).obj(),
        makePod().node('node2').req({ cpu: '3000', memory: '5000' }).obj(),
      ],
      [50, 25],
    ],
    ['zero node resources', makePod().obj(), twoNodes({}, {}), [], [0, 0]],
  ])('%s', (_name, pod, nodes, existing, expected) => {
    const scores = runScore(new NodeResourcesFit(), pod, nodeInfosOf(nodes, existing));
    expect(scores.map((s) => s.score)).toEqual(expected);
  });

  it('weighs resources (memory 2, cpu 1)', () => {
    const plugin = new NodeResourcesFit({
      resources: [
        { name: 'memory', weight: 2 },
        { name: 'cpu', weight: 1 },
      ],
    });
    const nodes = twoNodes({ cpu: '4000', memory: '10000' }, { cpu: '6000', memory: '10000' });
    expect(runScore(plugin, requested, nodeInfosOf(nodes)).map((s) => s.score)).toEqual([41, 50]);
  });

  it('scores an extended resource only when the pod requests it', () => {
    const resources = [
      { name: 'cpu', weight: 1 },
      { name: 'memory', weight: 1 },
      { name: 'example.com/foo', weight: 1 },
    ];
    const nodes = twoNodes(
      { cpu: '6000', memory: '10000', 'example.com/foo': '4' },
      { cpu: '6000', memory: '10000', 'example.com/foo': '10' },
    );
    const plugin = new NodeResourcesFit({ resources });
    expect(runScore(plugin, requested, nodeInfosOf(nodes)).map((s) => s.score)).toEqual([50, 50]);
    const withFoo = makePod()
      .req({ cpu: '1000', memory: '2000' })
      .req({ cpu: '2000', memory: '3000', 'example.com/foo': '2' })
      .obj();
    expect(runScore(plugin, withFoo, nodeInfosOf(nodes)).map((s) => s.score)).toEqual([50, 60]);
  });

  it('scores fuller nodes higher with MostAllocated', () => {
    const plugin = new NodeResourcesFit({ scoringStrategy: 'MostAllocated' });
    const nodes = twoNodes({ cpu: '4000', memory: '10000' }, { cpu: '6000', memory: '10000' });
    // node1: cpu 3000/4000 = 75, memory 5000/10000 = 50 -> 62; node2: 50, 50 -> 50.
    expect(runScore(plugin, requested, nodeInfosOf(nodes)).map((s) => s.score)).toEqual([62, 50]);
  });
});
