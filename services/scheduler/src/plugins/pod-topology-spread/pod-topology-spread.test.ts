import type { Node, Pod } from '@tkube/api';
import { describe, expect, it } from 'vitest';
import { existsSelector, makeNode, makePod } from '../testing/builders.js';
import { nodeInfosOf } from '../testing/node-infos.js';
import { describeStatuses, runFilter, runScore } from '../testing/run-plugin.js';
import { PodTopologySpread } from './pod-topology-spread.js';

const HOST = 'kubernetes.io/hostname';
const SKEW = "Unschedulable: node(s) didn't match pod topology spread constraints";
const MISSING =
  "UnschedulableAndUnresolvable: node(s) didn't match pod topology spread constraints (missing required label)";
const foo = existsSelector('foo');

const node = (name: string, zone?: string) =>
  makeNode()
    .name(name)
    .labels({ [HOST]: name, ...(zone ? { zone } : {}) })
    .obj();
/** `count` pods labelled foo on `nodeName`. */
const podsOn = (nodeName: string, count: number, build = (p: ReturnType<typeof makePod>) => p): Pod[] =>
  Array.from({ length: count }, (_, i) =>
    build(makePod().name(`${nodeName}-${i}`).label('foo', ''))
      .node(nodeName)
      .obj(),
  );

const zonedNodes = [node('node-a', 'zone1'), node('node-b', 'zone1'), node('node-x', 'zone2'), node('node-y', 'zone2')];

function filter(pod: Pod, nodes: Node[], existing: Pod[]) {
  return describeStatuses(runFilter(new PodTopologySpread(), pod, nodeInfosOf(nodes, existing)).statuses);
}

describe('PodTopologySpread filter (kube filtering_test)', () => {
  const incoming = (maxSkew: number, key: string, extra = {}) =>
    makePod().name('p').label('foo', '').spreadConstraint(maxSkew, key, 'DoNotSchedule', foo, extra).obj();

  it('lets every node in without existing pods', () => {
    expect(filter(incoming(1, 'zone'), zonedNodes, [])).toEqual({
      'node-a': 'Success',
      'node-b': 'Success',
      'node-x': 'Success',
      'node-y': 'Success',
    });
  });

  it('pods spread across nodes as 2/1/0/3: only node-x fits', () => {
    const existing = [...podsOn('node-a', 2), ...podsOn('node-b', 1), ...podsOn('node-y', 3)];
    expect(filter(incoming(1, HOST), zonedNodes, existing)).toEqual({
      'node-a': SKEW,
      'node-b': SKEW,
      'node-x': 'Success',
      'node-y': SKEW,
    });
  });

  it('pods spread across zones as 3/2: only zone2 fits', () => {
    const existing = [...podsOn('node-a', 2), ...podsOn('node-b', 1), ...podsOn('node-y', 2)];
    expect(filter(incoming(1, 'zone'), zonedNodes, existing)).toEqual({
      'node-a': SKEW,
      'node-b': SKEW,
      'node-x': 'Success',
      'node-y': 'Success',
    });
  });

  it('a pod that does not match its own selector adds nothing to the skew', () => {
    const pod = makePod().name('p').spreadConstraint(1, 'zone', 'DoNotSchedule', foo).obj();
    const existing = [...podsOn('node-a', 2), ...podsOn('node-b', 1), ...podsOn('node-y', 2)];
    expect(Object.values(filter(pod, zonedNodes, existing))).toEqual(['Success', 'Success', 'Success', 'Success']);
  });

  it('refuses nodes without the topology label as unresolvable', () => {
    const nodes = [node('node-a', 'zone1'), node('node-b'), node('node-x', 'zone2')];
    expect(filter(incoming(1, 'zone'), nodes, podsOn('node-a', 1))).toEqual({
      'node-a': SKEW,
      'node-b': MISSING,
      'node-x': 'Success',
    });
  });

  it('treats the global minimum as 0 while there are fewer domains than minDomains', () => {
    const existing = [...podsOn('node-a', 1), ...podsOn('node-x', 1)];
    const tooFew = filter(incoming(1, 'zone', { minDomains: 3 }), zonedNodes, existing);
    expect(Object.values(tooFew)).toEqual([SKEW, SKEW, SKEW, SKEW]);
    const enough = filter(incoming(1, 'zone', { minDomains: 2 }), zonedNodes, existing);
    expect(Object.values(enough)).toEqual(['Success', 'Success', 'Success', 'Success']);
  });

  it("counts only nodes matching the pod's node affinity (nodeAffinityPolicy Honor, the default)", () => {
    const existing = [...podsOn('node-a', 2), ...podsOn('node-b', 1), ...podsOn('node-x', 2)];
    const honor = makePod()
      .label('foo', '')
      .nodeAffinityTerm([{ key: 'zone', operator: 'In', values: ['zone1'] }])
      .spreadConstraint(1, 'zone', 'DoNotSchedule', foo)
      .obj();
    expect(filter(honor, zonedNodes, existing)['node-a']).toBe('Success');
    const ignore = makePod()
      .label('foo', '')
      .nodeAffinityTerm([{ key: 'zone', operator: 'In', values: ['zone1'] }])
      .spreadConstraint(1, 'zone', 'DoNotSchedule', foo, { nodeAffinityPolicy: 'Ignore' })
      .obj();
    expect(filter(ignore, zonedNodes, existing)['node-a']).toBe(SKEW);
  });

  it('leaves out domains of tainted nodes with nodeTaintsPolicy Honor', () => {
    const nodes = [
      node('node-a', 'zone1'),
      makeNode().name('node-x').labels({ zone: 'zone2' }).taint('k', 'v', 'NoSchedule').obj(),
    ];
    const existing = podsOn('node-a', 1);
    expect(filter(incoming(1, 'zone'), nodes, existing)['node-a']).toBe(SKEW);
    expect(filter(incoming(1, 'zone', { nodeTaintsPolicy: 'Honor' }), nodes, existing)['node-a']).toBe('Success');
  });

  it('does not count terminating pods or pods of other namespaces', () => {
    const existing = [
      ...podsOn('node-a', 2, (p) => p.terminating()),
      ...podsOn('node-b', 2, (p) => p.namespace('other')),
    ];
    expect(Object.values(filter(incoming(1, 'zone'), zonedNodes, existing))).toEqual([
      'Success',
      'Success',
      'Success',
      'Success',
    ]);
  });

  it('must satisfy every constraint', () => {
    const pod = makePod()
      .label('foo', '')
      .spreadConstraint(1, 'zone', 'DoNotSchedule', foo)
      .spreadConstraint(1, HOST, 'DoNotSchedule', foo)
      .obj();
    // zone1 has a pod on node-a and zone2 none: only zone2 keeps the zone skew; each of its nodes keeps the host skew.
    const existing = podsOn('node-a', 1);
    expect(filter(pod, zonedNodes, existing)).toEqual({
      'node-a': SKEW,
      'node-b': SKEW,
      'node-x': 'Success',
      'node-y': 'Success',
    });
  });

  it('skips pods without DoNotSchedule constraints', () => {
    const pod = makePod().spreadConstraint(1, 'zone', 'ScheduleAnyway', foo).obj();
    expect(runFilter(new PodTopologySpread(), pod, nodeInfosOf(zonedNodes)).preFilter.code).toBe('Skip');
  });
});

describe('PodTopologySpread score (kube scoring_test)', () => {
  const soft = (key: string, maxSkew = 1) =>
    makePod().name('p').label('foo', '').spreadConstraint(maxSkew, key, 'ScheduleAnyway', foo).obj();
  const score = (pod: Pod, nodes: Node[], existing: Pod[]) =>
    runScore(new PodTopologySpread(), pod, nodeInfosOf(nodes, existing)).map((s) => s.score);

  it('gives every node 100 without matching pods', () => {
    expect(score(soft(HOST), zonedNodes, [])).toEqual([100, 100, 100, 100]);
  });

  it('favours nodes with fewer matching pods (hostname)', () => {
    // weight ln(4 + 2); raw 2 pods -> 4, 1 pod -> 2, none -> 0; reversed onto 0..100.
    const existing = [...podsOn('node-a', 2), ...podsOn('node-b', 1)];
    expect(score(soft(HOST), zonedNodes, existing)).toEqual([0, 50, 100, 100]);
  });

  it('favours zones with fewer matching pods', () => {
    // weight ln(2 domains + 2); zone1 3 pods -> 4, zone2 1 pod -> 1: 100 * (4 + 1 - s) / 4.
    const existing = [...podsOn('node-a', 2), ...podsOn('node-b', 1), ...podsOn('node-x', 1)];
    expect(score(soft('zone'), zonedNodes, existing)).toEqual([25, 25, 100, 100]);
  });

  it('gives 0 to nodes without the topology label', () => {
    const nodes = [node('node-a', 'zone1'), node('node-b'), node('node-x', 'zone2')];
    expect(score(soft('zone'), nodes, podsOn('node-a', 1))).toEqual([0, 0, 100]);
  });

  it('counts pods on nodes that did not pass the filters', () => {
    const all = nodeInfosOf(zonedNodes, [...podsOn('node-a', 3), ...podsOn('node-x', 1)]);
    const filtered = all.filter((info) => info.name !== 'node-a');
    const scores = runScore(new PodTopologySpread(), soft('zone'), filtered, all).map((s) => s.score);
    // zone1 still holds node-a's 3 pods: weight ln(4); zone1 -> 4, zone2 -> 1.
    expect(scores).toEqual([25, 100, 100]);
  });

  it('skips pods without ScheduleAnyway constraints', () => {
    expect(score(makePod().obj(), zonedNodes, [])).toEqual([0, 0, 0, 0]);
  });
});
