import type { Node, Pod } from '@tkube/api';
import { describe, expect, it } from 'vitest';
import { makeNode, makePod } from '../testing/builders.js';
import { nodeInfosOf } from '../testing/node-infos.js';
import { describeStatuses, runFilter, runScore } from '../testing/run-plugin.js';
import { InterPodAffinity } from './inter-pod-affinity.js';

const AFFINITY = "UnschedulableAndUnresolvable: node(s) didn't match pod affinity rules";
const ANTI = "Unschedulable: node(s) didn't match pod anti-affinity rules";
const EXISTING_ANTI = "Unschedulable: node(s) didn't satisfy existing pods anti-affinity rules";

const HOST = 'kubernetes.io/hostname';
const node = (name: string, labels: Record<string, string> = {}) =>
  makeNode()
    .name(name)
    .labels({ [HOST]: name, ...labels })
    .obj();

function filter(pod: Pod, nodes: Node[], existing: Pod[] = [], plugin = new InterPodAffinity()) {
  return describeStatuses(runFilter(plugin, pod, nodeInfosOf(nodes, existing)).statuses);
}

describe('InterPodAffinity filter (kube filtering_test)', () => {
  const machine1 = node('machine1', { region: 'r1', zone: 'z11' });

  it('lets a pod without terms go anywhere (PreFilter skips)', () => {
    const run = runFilter(new InterPodAffinity(), makePod().obj(), nodeInfosOf([machine1]));
    expect(run.preFilter.code).toBe('Skip');
  });

  it('satisfies required affinity with an existing matching pod in the topology', () => {
    const pod = makePod().podAffinityIn('service', ['securityscan', 'value2'], 'region').obj();
    const existing = makePod().name('p1').node('machine1').label('service', 'securityscan').obj();
    expect(filter(pod, [machine1], [existing])).toEqual({ machine1: 'Success' });
  });

  it('supports NotIn in the label selector', () => {
    const pod = makePod()
      .podAffinity({ matchExpressions: [{ key: 'service', operator: 'NotIn', values: ['securityscan3'] }] }, 'region')
      .obj();
    const existing = makePod().name('p1').node('machine1').label('service', 'securityscan').obj();
    expect(filter(pod, [machine1], [existing])).toEqual({ machine1: 'Success' });
  });

  it('does not count pods of another namespace', () => {
    const pod = makePod().podAffinityIn('service', ['securityscan'], 'region').obj();
    const existing = makePod().name('p1').namespace('other').node('machine1').label('service', 'securityscan').obj();
    expect(filter(pod, [machine1], [existing])).toEqual({ machine1: AFFINITY });
  });

  it('counts pods of the namespaces the term names, and of every namespace with namespaceSelector {}', () => {
    const existing = makePod().name('p1').namespace('other').node('machine1').label('service', 'securityscan').obj();
    const named = makePod()
      .podAffinityIn('service', ['securityscan'], 'region', { namespaces: ['other'] })
      .obj();
    expect(filter(named, [machine1], [existing])).toEqual({ machine1: 'Success' });
    const all = makePod().podAffinityIn('service', ['securityscan'], 'region', { namespaceSelector: {} }).obj();
    expect(filter(all, [machine1], [existing])).toEqual({ machine1: 'Success' });
  });

  it('matches namespaceSelector against the namespace labels given to the plugin', () => {
    const existing = makePod().name('p1').namespace('team-a').node('machine1').label('service', 'securityscan').obj();
    const pod = makePod()
      .podAffinityIn('service', ['securityscan'], 'region', { namespaceSelector: { matchLabels: { team: 'a' } } })
      .obj();
    expect(filter(pod, [machine1], [existing])).toEqual({ machine1: AFFINITY });
    const plugin = new InterPodAffinity({
      namespaceLabels: (ns): Record<string, string> => (ns === 'team-a' ? { team: 'a' } : {}),
    });
    expect(filter(pod, [machine1], [existing], plugin)).toEqual({ machine1: 'Success' });
  });

  it('fails required affinity without a matching pod in the topology', () => {
    const pod = makePod().podAffinityIn('service', ['securityscan'], 'region').obj();
    const other = makePod().name('p1').node('machine2').label('service', 'securityscan').obj();
    const nodes = [machine1, node('machine2', { region: 'r2' })];
    expect(filter(pod, nodes, [other])).toEqual({ machine1: AFFINITY, machine2: 'Success' });
  });

  it('lets the first pod of a group that wants to be together in, on nodes with the topology key', () => {
    const pod = makePod().label('app', 'db').podAffinityIn('app', ['db'], 'zone').obj();
    const nodes = [machine1, node('no-zone')];
    expect(filter(pod, nodes)).toEqual({ machine1: 'Success', 'no-zone': AFFINITY });
  });

  it('does not let a pod that does not match its own terms start a group', () => {
    const pod = makePod().label('app', 'web').podAffinityIn('app', ['db'], 'zone').obj();
    expect(filter(pod, [machine1])).toEqual({ machine1: AFFINITY });
  });

  it('refuses a node whose topology holds a pod the anti-affinity selects', () => {
    const pod = makePod().podAntiAffinityIn('service', ['securityscan'], 'zone').obj();
    const existing = makePod().name('p1').node('machine1').label('service', 'securityscan').obj();
    const nodes = [machine1, node('machine2', { zone: 'z11' }), node('machine3', { zone: 'z12' })];
    expect(filter(pod, nodes, [existing])).toEqual({ machine1: ANTI, machine2: ANTI, machine3: 'Success' });
  });

  it('refuses a node whose topology holds a pod whose anti-affinity selects the incoming pod (symmetry)', () => {
    const pod = makePod().label('service', 'securityscan').obj();
    const existing = makePod().name('p1').node('machine1').podAntiAffinityIn('service', ['securityscan'], 'zone').obj();
    const nodes = [machine1, node('machine2', { zone: 'z11' }), node('machine3', { zone: 'z12' })];
    expect(filter(pod, nodes, [existing])).toEqual({
      machine1: EXISTING_ANTI,
      machine2: EXISTING_ANTI,
      machine3: 'Success',
    });
  });

  it('ignores an existing anti-affinity whose topology key the node lacks', () => {
    const pod = makePod().label('service', 'securityscan').obj();
    const existing = makePod().name('p1').node('machine1').podAntiAffinityIn('service', ['securityscan'], 'rack').obj();
    expect(filter(pod, [machine1, node('machine2')], [existing])).toEqual({ machine1: 'Success', machine2: 'Success' });
  });

  it('spreads replicas with hostname anti-affinity one per node; a 4th has nowhere to go', () => {
    const replica = (i: number) =>
      makePod().name(`web-${i}`).label('app', 'web').podAntiAffinityIn('app', ['web'], HOST);
    const nodes = [node('n1'), node('n2'), node('n3')];
    const placed = [replica(0).node('n1').obj(), replica(1).node('n2').obj()];
    expect(filter(replica(2).obj(), nodes, placed)).toEqual({ n1: ANTI, n2: ANTI, n3: 'Success' });
    const all = [...placed, replica(2).node('n3').obj()];
    expect(filter(replica(3).obj(), nodes, all)).toEqual({ n1: ANTI, n2: ANTI, n3: ANTI });
  });

  it('refuses a pod whose selector does not parse', () => {
    const pod = makePod()
      .podAffinity({ matchExpressions: [{ key: 'a', operator: 'Bad' }] }, 'zone')
      .obj();
    const run = runFilter(new InterPodAffinity(), pod, nodeInfosOf([machine1]));
    expect(run.preFilter.code).toBe('UnschedulableAndUnresolvable');
    expect(run.preFilter.reasons[0]).toMatch(/^parsing pod: /);
  });
});

describe('InterPodAffinity score (kube scoring_test)', () => {
  const nodes = [
    makeNode().name('node1').label('region', 'China').obj(),
    makeNode().name('node2').label('region', 'India').obj(),
    makeNode().name('node3').label('az', 'az1').obj(),
  ];
  const s1 = makePod().name('p1').node('node1').label('security', 'S1').obj();
  const score = (pod: Pod, existing: Pod[]) =>
    runScore(new InterPodAffinity(), pod, nodeInfosOf(nodes, existing)).map((s) => s.score);

  it('gives every node 0 when nothing has terms', () => {
    expect(score(makePod().obj(), [s1])).toEqual([0, 0, 0]);
  });

  it('favours the topology that holds pods the preferred affinity selects', () => {
    const pod = makePod().preferredPodAffinityIn(5, 'security', ['S1'], 'region').obj();
    expect(score(pod, [s1])).toEqual([100, 0, 0]);
  });

  it('disfavours the topology that holds pods the preferred anti-affinity selects', () => {
    const pod = makePod().preferredPodAntiAffinityIn(5, 'security', ['S1'], 'region').obj();
    expect(score(pod, [s1])).toEqual([0, 100, 100]);
  });

  it("counts an existing pod's required affinity that selects the incoming pod (hardPodAffinityWeight)", () => {
    const pod = makePod().label('security', 'S1').obj();
    const existing = makePod().name('p2').node('node2').podAffinityIn('security', ['S1'], 'region').obj();
    expect(score(pod, [existing])).toEqual([0, 100, 0]);
    const ignoring = new InterPodAffinity({ hardPodAffinityWeight: 0 });
    expect(runScore(ignoring, pod, nodeInfosOf(nodes, [existing])).map((s) => s.score)).toEqual([0, 0, 0]);
  });

  it("counts existing pods' preferred terms that select the incoming pod", () => {
    const pod = makePod().label('security', 'S1').obj();
    const likes = makePod().name('p2').node('node1').preferredPodAffinityIn(4, 'security', ['S1'], 'region').obj();
    const dislikes = makePod()
      .name('p3')
      .node('node2')
      .preferredPodAntiAffinityIn(4, 'security', ['S1'], 'region')
      .obj();
    expect(score(pod, [likes, dislikes])).toEqual([100, 0, 50]);
  });
});
