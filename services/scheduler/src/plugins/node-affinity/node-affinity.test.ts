import type { Node, Pod } from '@tkube/api';
import { describe, expect, it } from 'vitest';
import { makeNode, makePod } from '../testing/builders.js';
import { nodeInfosOf } from '../testing/node-infos.js';
import { describeStatuses, runFilter, runScore } from '../testing/run-plugin.js';
import { NodeAffinity } from './node-affinity.js';

const MISMATCH = "UnschedulableAndUnresolvable: node(s) didn't match Pod's node affinity/selector";

function filter(pod: Pod, labels: Record<string, string>, name = 'node1'): string {
  const node = makeNode().name(name).labels(labels).obj();
  return describeStatuses(runFilter(new NodeAffinity(), pod, nodeInfosOf([node])).statuses)[name];
}

describe('NodeAffinity filter (kube node_affinity_test)', () => {
  it.each([
    ['no selector', makePod().obj(), {}, 'Success'],
    ['missing labels', makePod().nodeSelector({ foo: 'bar' }).obj(), {}, MISMATCH],
    ['same labels', makePod().nodeSelector({ foo: 'bar' }).obj(), { foo: 'bar' }, 'Success'],
    [
      'node labels are a superset',
      makePod().nodeSelector({ foo: 'bar' }).obj(),
      { foo: 'bar', baz: 'blah' },
      'Success',
    ],
    ['node labels are a subset', makePod().nodeSelector({ foo: 'bar', baz: 'blah' }).obj(), { foo: 'bar' }, MISMATCH],
    [
      'In matches',
      makePod()
        .nodeAffinityTerm([{ key: 'foo', operator: 'In', values: ['bar', 'value2'] }])
        .obj(),
      { foo: 'bar' },
      'Success',
    ],
    [
      'Gt and Lt compare integers',
      makePod()
        .nodeAffinityTerm([
          { key: 'kernel-version', operator: 'Gt', values: ['0204'] },
          { key: 'kernel-version', operator: 'Lt', values: ['0300'] },
        ])
        .obj(),
      { 'kernel-version': '0206' },
      'Success',
    ],
    [
      'Gt with a non-integer label does not match',
      makePod()
        .nodeAffinityTerm([{ key: 'kernel-version', operator: 'Gt', values: ['0204'] }])
        .obj(),
      { 'kernel-version': '2.6' },
      MISMATCH,
    ],
    [
      'a term that does not parse matches nothing',
      makePod()
        .nodeAffinityTerm([{ key: 'kernel-version', operator: 'Gt', values: ['high'] }])
        .obj(),
      { 'kernel-version': '2' },
      MISMATCH,
    ],
    [
      'NotIn matches a node without the label',
      makePod()
        .nodeAffinityTerm([{ key: 'mem-type', operator: 'NotIn', values: ['DDR', 'DDR2'] }])
        .obj(),
      {},
      'Success',
    ],
    [
      'NotIn refuses a listed value',
      makePod()
        .nodeAffinityTerm([{ key: 'mem-type', operator: 'NotIn', values: ['DDR', 'DDR2'] }])
        .obj(),
      { 'mem-type': 'DDR' },
      MISMATCH,
    ],
    [
      'Exists',
      makePod()
        .nodeAffinityTerm([{ key: 'GPU', operator: 'Exists' }])
        .obj(),
      { GPU: 'NVIDIA-GRID-K1' },
      'Success',
    ],
    [
      'DoesNotExist',
      makePod()
        .nodeAffinityTerm([{ key: 'GPU', operator: 'DoesNotExist' }])
        .obj(),
      { GPU: 'NVIDIA-GRID-K1' },
      MISMATCH,
    ],
    [
      'requirements within a term are ANDed',
      makePod()
        .nodeAffinityTerm([
          { key: 'foo', operator: 'In', values: ['bar'] },
          { key: 'diffkey', operator: 'In', values: ['wrong', 'value2'] },
        ])
        .obj(),
      { foo: 'bar' },
      MISMATCH,
    ],
    [
      'terms are ORed',
      makePod()
        .nodeAffinityTerm([{ key: 'foo', operator: 'In', values: ['bar'] }])
        .nodeAffinityTerm([{ key: 'diffkey', operator: 'In', values: ['wrong'] }])
        .obj(),
      { foo: 'bar' },
      'Success',
    ],
    ['an empty term matches nothing', makePod().nodeAffinityTerm([]).obj(), { foo: 'bar' }, MISMATCH],
    [
      'nodeSelector and node affinity must both match',
      makePod()
        .nodeSelector({ foo: 'bar' })
        .nodeAffinityTerm([{ key: 'GPU', operator: 'Exists' }])
        .obj(),
      { foo: 'bar' },
      MISMATCH,
    ],
  ])('%s', (_name, pod, labels, expected) => {
    expect(filter(pod, labels)).toBe(expected);
  });

  it('matches metadata.name through matchFields and narrows PreFilter to those nodes', () => {
    const pod = makePod()
      .nodeAffinityTerm([], [{ key: 'metadata.name', operator: 'In', values: ['node1'] }])
      .obj();
    const nodes = nodeInfosOf([makeNode().name('node1').obj(), makeNode().name('node2').obj()]);
    const run = runFilter(new NodeAffinity(), pod, nodes);
    expect([...(run.nodeNames ?? [])]).toEqual(['node1']);
    expect(describeStatuses(run.statuses)).toEqual({ node1: 'Success', node2: MISMATCH });
  });

  it('unions the names of several terms, and has no narrowing when one term names no node', () => {
    const name = (value: string) => [{ key: 'metadata.name', operator: 'In', values: [value] }];
    const nodes = nodeInfosOf([makeNode().name('node1').obj()]);
    const two = makePod().nodeAffinityTerm([], name('node1')).nodeAffinityTerm([], name('node2')).obj();
    expect([...(runFilter(new NodeAffinity(), two, nodes).nodeNames ?? [])].sort()).toEqual(['node1', 'node2']);
    const open = makePod()
      .nodeAffinityTerm([], name('node1'))
      .nodeAffinityTerm([{ key: 'a', operator: 'Exists' }])
      .obj();
    expect(runFilter(new NodeAffinity(), open, nodes).nodeNames).toBeUndefined();
  });

  it('answers "pod affinity terms conflict" when a term asks for two names at once', () => {
    const pod = makePod()
      .nodeAffinityTerm(
        [],
        [
          { key: 'metadata.name', operator: 'In', values: ['node1'] },
          { key: 'metadata.name', operator: 'In', values: ['node2'] },
        ],
      )
      .obj();
    const run = runFilter(new NodeAffinity(), pod, nodeInfosOf([makeNode().name('node1').obj()]));
    expect(run.preFilter).toEqual({ code: 'UnschedulableAndUnresolvable', reasons: ['pod affinity terms conflict'] });
  });

  it('skips pods without selector or required affinity at PreFilter', () => {
    expect(runFilter(new NodeAffinity(), makePod().obj(), []).preFilter.code).toBe('Skip');
  });
});

describe('NodeAffinity score (kube TestNodeAffinityPriority)', () => {
  const label1 = { foo: 'bar' };
  const label2 = { key: 'value' };
  const label3 = { az: 'az1' };
  const label5 = { foo: 'bar', key: 'value', az: 'az1' };
  const nodes = (...labels: Record<string, string>[]): Node[] =>
    labels.map((l, i) =>
      makeNode()
        .name(`node${i + 1}`)
        .labels(l)
        .obj(),
    );
  const affinity1 = makePod()
    .preferredNodeAffinity(2, [{ key: 'foo', operator: 'In', values: ['bar'] }])
    .obj();
  const affinity2 = makePod()
    .preferredNodeAffinity(2, [{ key: 'foo', operator: 'In', values: ['bar'] }])
    .preferredNodeAffinity(4, [{ key: 'key', operator: 'In', values: ['value'] }])
    .preferredNodeAffinity(5, [
      { key: 'foo', operator: 'In', values: ['bar'] },
      { key: 'key', operator: 'In', values: ['value'] },
      { key: 'az', operator: 'In', values: ['az1'] },
    ])
    .obj();
  const score = (pod: Pod, list: Node[]) => runScore(new NodeAffinity(), pod, nodeInfosOf(list)).map((s) => s.score);

  it('gives every node 0 without preferred terms', () => {
    expect(score(makePod().obj(), nodes(label1, label2, label3))).toEqual([0, 0, 0]);
  });

  it('gives the only matching node 100', () => {
    expect(score(affinity1, nodes(label1, label2, label3))).toEqual([100, 0, 0]);
  });

  it('scales summed weights to 0..100', () => {
    // node1: 2, node2 (label5): 2 + 4 + 5 = 11, node3 (label2): 4.
    expect(score(affinity2, nodes(label1, label5, label2))).toEqual([18, 100, 36]);
  });
});
