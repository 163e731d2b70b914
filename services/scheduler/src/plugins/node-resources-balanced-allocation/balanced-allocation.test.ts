import { describe, expect, it } from 'vitest';
import { CycleState } from '../../framework/types.js';
import { podInfoOf } from '../pod-info.js';
import { makeNode, makePod } from '../testing/builders.js';
import { nodeInfosOf } from '../testing/node-infos.js';
import { runScore } from '../testing/run-plugin.js';
import { NodeResourcesBalancedAllocation } from './balanced-allocation.js';

const nodes = (a: Record<string, string>, b: Record<string, string>) => [
  makeNode().name('node1').capacity(a).obj(),
  makeNode().name('node2').capacity(b).obj(),
];
const cpuAndMemory = makePod().req({ cpu: '1000', memory: '2000' }).req({ cpu: '2000', memory: '3000' }).obj();

describe('NodeResourcesBalancedAllocation (kube balanced_allocation_test)', () => {
  it('favours the node where cpu and memory end up equally used', () => {
    // node1: cpu 3000/4000 = 0.75, memory 5000/10000 = 0.5: std 0.125 -> 87; node2: 0.5, 0.5 -> 100.
    const scores = runScore(
      new NodeResourcesBalancedAllocation(),
      cpuAndMemory,
      nodeInfosOf(nodes({ cpu: '4000', memory: '10000' }, { cpu: '6000', memory: '10000' })),
    );
    expect(scores.map((s) => s.score)).toEqual([87, 100]);
  });

  it('counts the pods already on the node, by their plain requests', () => {
    const existing = [
      makePod().node('node1').req({ cpu: '3000', memory: '0' }).obj(),
      makePod().node('node2').req({ cpu: '3000', memory: '5000' }).obj(),
    ];
    // node1: cpu 6000/10000 = 0.6, memory 5000/20000 = 0.25 -> 82; node2: 0.6, 10000/20000 = 0.5 -> 95.
    const scores = runScore(
      new NodeResourcesBalancedAllocation(),
      cpuAndMemory,
      nodeInfosOf(nodes({ cpu: '10000', memory: '20000' }, { cpu: '10000', memory: '20000' }), existing),
    );
    expect(scores.map((s) => s.score)).toEqual([82, 95]);
  });

  it('caps a fraction at 1 when the node is over-requested', () => {
    const scores = runScore(
      new NodeResourcesBalancedAllocation(),
      makePod().req({ cpu: '8000', memory: '5000' }).obj(),
      nodeInfosOf(nodes({ cpu: '4000', memory: '10000' }, { cpu: '4000', memory: '10000' })),
    );
    // fractions 1 (capped) and 0.5 -> std 0.25 -> 75.
    expect(scores.map((s) => s.score)).toEqual([75, 75]);
  });

  it('skips best-effort pods, which would otherwise pile onto one node', () => {
    const plugin = new NodeResourcesBalancedAllocation();
    const pod = podInfoOf(makePod().req({}).obj());
    expect(plugin.preScore(new CycleState(), pod).code).toBe('Skip');
  });

  it('uses the standard deviation for more than two resources', () => {
    const plugin = new NodeResourcesBalancedAllocation({
      resources: [
        { name: 'cpu', weight: 1 },
        { name: 'memory', weight: 1 },
        { name: 'example.com/gpu', weight: 1 },
      ],
    });
    const pod = makePod().req({ cpu: '1', memory: '1000', 'example.com/gpu': '4' }).obj();
    const infos = nodeInfosOf([
      makeNode().name('n').capacity({ cpu: '4', memory: '2000', 'example.com/gpu': '4' }).obj(),
    ]);
    // fractions 0.25, 0.5, 1: mean 0.5833, std 0.3118 -> 68.
    expect(runScore(plugin, pod, infos).map((s) => s.score)).toEqual([68]);
  });
});
