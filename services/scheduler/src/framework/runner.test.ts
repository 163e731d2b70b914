import { describe, expect, it } from 'vitest';
import { SchedulerCache } from '../cache/cache.js';
import { CacheSnapshot } from '../cache/snapshot.js';
import { fakePodInfoOf, fitsCpu, leastAllocatedCpu, makeNode, makePod, noTaints } from '../testing/fakes.js';
import { FitError, fitErrorMessage } from './fit-error.js';
import { FrameworkRunner } from './runner.js';
import { numFeasibleNodesToFind } from './sampling.js';
import {
  CycleState,
  type FilterPlugin,
  type PreFilterPlugin,
  type ScorePlugin,
  SUCCESS,
  unschedulable,
} from './types.js';

function snapshotOf(nodes: ReturnType<typeof makeNode>[]): CacheSnapshot {
  const cache = new SchedulerCache({ podInfoOf: fakePodInfoOf });
  for (const node of nodes) cache.addNode(node);
  const snapshot = new CacheSnapshot();
  cache.updateSnapshot(snapshot);
  return snapshot;
}

function fitErrorOf(run: () => unknown): FitError {
  try {
    run();
  } catch (err) {
    if (err instanceof FitError) return err;
    throw err;
  }
  throw new Error('expected a FitError');
}

describe('numFeasibleNodesToFind', () => {
  it('follows kube: all below 100 nodes, 50% minus 1% per 125 nodes, at least 5% and 100 nodes', () => {
    expect(numFeasibleNodesToFind(0, 50)).toBe(50);
    expect(numFeasibleNodesToFind(0, 100)).toBe(50 + 50);
    expect(numFeasibleNodesToFind(0, 1_000)).toBe(420);
    expect(numFeasibleNodesToFind(0, 5_000)).toBe(500);
    expect(numFeasibleNodesToFind(0, 10_000)).toBe(500);
    expect(numFeasibleNodesToFind(10, 500)).toBe(100);
    expect(numFeasibleNodesToFind(100, 5_000)).toBe(5_000);
  });
});

describe('FrameworkRunner sampling', () => {
  it('stops filtering once enough nodes fit, and starts the next pod where the last one stopped', () => {
    const nodes = Array.from({ length: 1_000 }, (_, i) => makeNode(`n${i}`));
    const snapshot = snapshotOf(nodes);
    const seen: string[][] = [[], []];
    let cycle = 0;
    const recorder: FilterPlugin = {
      name: 'Recorder',
      filter(_s, _p, node) {
        seen[cycle]?.push(node.name);
        return SUCCESS;
      },
    };
    const runner = new FrameworkRunner({ plugins: [recorder, leastAllocatedCpu] });
    const first = runner.schedulePod(new CycleState(), fakePodInfoOf(makePod('a')), snapshot);
    expect(first).toMatchObject({ evaluatedNodes: 420, feasibleNodes: 420 });
    cycle = 1;
    runner.schedulePod(new CycleState(), fakePodInfoOf(makePod('b')), snapshot);
    expect(seen[0]?.[0]).toBe('n0');
    expect(seen[1]?.[0]).toBe('n420');
    expect(seen[1]).toHaveLength(420);
  });

  it('looks at every node before it says none fits', () => {
    const nodes = Array.from({ length: 300 }, (_, i) => makeNode(`n${i}`, { cpu: '1' }));
    const runner = new FrameworkRunner({ plugins: [fitsCpu] });
    const error = fitErrorOf(() =>
      runner.schedulePod(new CycleState(), fakePodInfoOf(makePod('big', { cpu: '2' })), snapshotOf(nodes)),
    );
    expect(error.message).toBe('0/300 nodes are available: 300 Insufficient cpu.');
  });
});

describe('FrameworkRunner failure messages', () => {
  it('counts the first refusal of each node and sorts the counts as kube does', () => {
    const snapshot = snapshotOf([
      makeNode('small-1', { cpu: '1' }),
      makeNode('small-2', { cpu: '1' }),
      makeNode('tainted', { cpu: '8', taints: [{ key: 'x', value: 'y', effect: 'NoSchedule' }] }),
    ]);
    const runner = new FrameworkRunner({ plugins: [noTaints, fitsCpu] });
    const error = fitErrorOf(() =>
      runner.schedulePod(new CycleState(), fakePodInfoOf(makePod('big', { cpu: '2' })), snapshot),
    );
    expect(error.message).toBe('0/3 nodes are available: 1 node(s) had untolerated taint {x: y}, 2 Insufficient cpu.');
    expect([...error.diagnosis.unschedulablePlugins].sort()).toEqual(['NodeResourcesFit', 'TaintToleration']);
  });

  it('counts every reason a node gives', () => {
    const message = fitErrorMessage(2, {
      nodeToStatus: new Map([
        ['a', unschedulable('Insufficient cpu', 'Insufficient memory')],
        ['b', unschedulable('Insufficient memory')],
      ]),
      unschedulablePlugins: new Set(['NodeResourcesFit']),
    });
    expect(message).toBe('0/2 nodes are available: 1 Insufficient cpu, 2 Insufficient memory.');
  });

  it('says a PreFilter refusal once for all nodes', () => {
    const refuse: PreFilterPlugin = {
      name: 'InterPodAffinity',
      preFilter: () => unschedulable("node(s) didn't match pod affinity rules"),
    };
    const runner = new FrameworkRunner({ plugins: [refuse, fitsCpu] });
    const error = fitErrorOf(() =>
      runner.schedulePod(new CycleState(), fakePodInfoOf(makePod('p')), snapshotOf([makeNode('a'), makeNode('b')])),
    );
    expect(error.message).toBe("0/2 nodes are available: node(s) didn't match pod affinity rules.");
    expect([...error.diagnosis.unschedulablePlugins]).toEqual(['InterPodAffinity']);
  });

  it('counts the nodes a PreFilter ruled out as not satisfying it', () => {
    const only: PreFilterPlugin = {
      name: 'NodeName',
      preFilter: () => ({ status: SUCCESS, nodeNames: new Set(['a']) }),
    };
    const runner = new FrameworkRunner({ plugins: [only, fitsCpu] });
    const error = fitErrorOf(() =>
      runner.schedulePod(
        new CycleState(),
        fakePodInfoOf(makePod('p', { cpu: '8' })),
        snapshotOf([makeNode('a'), makeNode('b'), makeNode('c')]),
      ),
    );
    expect(error.message).toBe(
      "0/3 nodes are available: 1 Insufficient cpu, 2 node(s) didn't satisfy plugin(s) [NodeName].",
    );
  });

  it('says there are no nodes when there are none', () => {
    const runner = new FrameworkRunner({ plugins: [fitsCpu] });
    const error = fitErrorOf(() => runner.schedulePod(new CycleState(), fakePodInfoOf(makePod('p')), snapshotOf([])));
    expect(error.message).toBe('no nodes available to schedule pods');
  });
});

describe('FrameworkRunner scoring', () => {
  it('picks the highest weighted sum of normalized scores', () => {
    const prefersB: ScorePlugin = {
      name: 'NodeAffinity',
      score: (_s, _p, node) => (node.name === 'b' ? 10 : 0),
      normalizeScore(_s, _p, scores) {
        const max = Math.max(...scores.map((s) => s.score));
        for (const s of scores) s.score = max === 0 ? 0 : (100 * s.score) / max;
      },
    };
    const snapshot = snapshotOf([makeNode('a', { cpu: '8' }), makeNode('b', { cpu: '2' })]);
    const pod = fakePodInfoOf(makePod('p', { cpu: '1' }));
    // cpu: a scores 87, b 50; NodeAffinity (weight 2): a 0, b 200.
    const weighted = new FrameworkRunner({ plugins: [fitsCpu, leastAllocatedCpu, prefersB] });
    expect(weighted.schedulePod(new CycleState(), pod, snapshot).nodeName).toBe('b');
    const unweighted = new FrameworkRunner({
      plugins: [fitsCpu, leastAllocatedCpu, prefersB],
      weights: { NodeAffinity: 0 },
    });
    expect(unweighted.schedulePod(new CycleState(), pod, snapshot).nodeName).toBe('a');
  });

  it('breaks ties at random among the best nodes only', () => {
    const snapshot = snapshotOf([makeNode('a'), makeNode('b'), makeNode('c', { cpu: '1' })]);
    const picks = new Set<string>();
    for (const r of [0, 0.3, 0.6, 0.99]) {
      const runner = new FrameworkRunner({ plugins: [fitsCpu, leastAllocatedCpu], random: () => r });
      picks.add(runner.schedulePod(new CycleState(), fakePodInfoOf(makePod('p', { cpu: '500m' })), snapshot).nodeName);
    }
    expect([...picks].sort()).toEqual(['a', 'b']);
  });
});
