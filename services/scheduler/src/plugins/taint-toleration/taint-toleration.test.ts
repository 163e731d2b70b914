import type { Pod } from '@tkube/api';
import { describe, expect, it } from 'vitest';
import { makeNode, makePod } from '../testing/builders.js';
import { nodeInfosOf } from '../testing/node-infos.js';
import { describeStatuses, runFilter, runScore } from '../testing/run-plugin.js';
import { TaintToleration } from './taint-toleration.js';

const tainted = makeNode().name('node').taint('dedicated', 'user1', 'NoSchedule').obj();

function filter(pod: Pod, node = tainted): string {
  return describeStatuses(runFilter(new TaintToleration(), pod, nodeInfosOf([node])).statuses).node;
}

describe('TaintToleration filter (kube taint_toleration_test)', () => {
  it.each([
    [
      'a pod with no tolerations cannot go onto a node with taints',
      makePod().obj(),
      'UnschedulableAndUnresolvable: node(s) had untolerated taint {dedicated: user1}',
    ],
    [
      'a pod tolerating the taint by key, value and effect',
      makePod().toleration({ key: 'dedicated', value: 'user1', effect: 'NoSchedule' }).obj(),
      'Success',
    ],
    [
      'a pod tolerating another value',
      makePod().toleration({ key: 'dedicated', operator: 'Equal', value: 'user2', effect: 'NoSchedule' }).obj(),
      'UnschedulableAndUnresolvable: node(s) had untolerated taint {dedicated: user1}',
    ],
    [
      'operator Exists tolerates any value',
      makePod().toleration({ key: 'dedicated', operator: 'Exists', effect: 'NoSchedule' }).obj(),
      'Success',
    ],
    [
      'an empty effect tolerates every effect',
      makePod().toleration({ key: 'dedicated', operator: 'Equal', value: 'user1' }).obj(),
      'Success',
    ],
    [
      'a toleration of another effect does not count',
      makePod().toleration({ key: 'dedicated', operator: 'Equal', value: 'user1', effect: 'NoExecute' }).obj(),
      'UnschedulableAndUnresolvable: node(s) had untolerated taint {dedicated: user1}',
    ],
  ])('%s', (_name, pod, expected) => {
    expect(filter(pod)).toBe(expected);
  });

  it('reports the first untolerated NoSchedule or NoExecute taint, and ignores PreferNoSchedule', () => {
    const node = makeNode()
      .name('node')
      .taint('soft', '', 'PreferNoSchedule')
      .taint('foo', 'bar', 'NoSchedule')
      .taint('evict', 'now', 'NoExecute')
      .obj();
    const pod = makePod().toleration({ key: 'foo', operator: 'Exists' }).obj();
    expect(filter(pod, node)).toBe('UnschedulableAndUnresolvable: node(s) had untolerated taint {evict: now}');
    const softOnly = makeNode().name('node').taint('soft', 'x', 'PreferNoSchedule').obj();
    expect(filter(makePod().obj(), softOnly)).toBe('Success');
  });
});

describe('TaintToleration score', () => {
  const score = (pod: Pod, nodes: ReturnType<typeof makeNode>[]) =>
    runScore(new TaintToleration(), pod, nodeInfosOf(nodes.map((n) => n.obj()))).map((s) => s.score);

  it('scores a node whose PreferNoSchedule taints are tolerated above one whose are not', () => {
    const pod = makePod().toleration({ key: 'foo', operator: 'Equal', value: 'bar', effect: 'PreferNoSchedule' }).obj();
    expect(
      score(pod, [
        makeNode().name('a').taint('foo', 'bar', 'PreferNoSchedule'),
        makeNode().name('b').taint('foo', 'blah', 'PreferNoSchedule'),
      ]),
    ).toEqual([100, 0]);
  });

  it('gives the same score to nodes whose taints are all tolerated, however many', () => {
    const pod = makePod()
      .toleration({ key: 'cpu-type', operator: 'Equal', value: 'arm64', effect: 'PreferNoSchedule' })
      .toleration({ key: 'disk-type', operator: 'Equal', value: 'ssd', effect: 'PreferNoSchedule' })
      .obj();
    expect(
      score(pod, [
        makeNode().name('a'),
        makeNode().name('b').taint('cpu-type', 'arm64', 'PreferNoSchedule'),
        makeNode()
          .name('c')
          .taint('cpu-type', 'arm64', 'PreferNoSchedule')
          .taint('disk-type', 'ssd', 'PreferNoSchedule'),
      ]),
    ).toEqual([100, 100, 100]);
  });

  it('scores lower the more intolerable taints a node has', () => {
    const pod = makePod().toleration({ key: 'foo', operator: 'Equal', value: 'bar', effect: 'PreferNoSchedule' }).obj();
    expect(
      score(pod, [
        makeNode().name('a'),
        makeNode().name('b').taint('cpu-type', 'arm64', 'PreferNoSchedule'),
        makeNode()
          .name('c')
          .taint('cpu-type', 'arm64', 'PreferNoSchedule')
          .taint('gpu-type', 'nvidia', 'PreferNoSchedule'),
      ]),
    ).toEqual([100, 50, 0]);
  });

  it('ignores NoSchedule taints and tolerations of other effects when scoring', () => {
    const pod = makePod()
      .toleration({ key: 'cpu-type', operator: 'Equal', value: 'arm64', effect: 'NoSchedule' })
      .obj();
    expect(
      score(pod, [
        makeNode().name('a'),
        makeNode().name('b').taint('cpu-type', 'arm64', 'PreferNoSchedule'),
        makeNode().name('c').taint('cpu-type', 'arm64', 'NoSchedule'),
      ]),
    ).toEqual([100, 0, 100]);
  });
});
