import { describe, expect, it } from 'vitest';
import type { NodeInfo } from '../../framework/types.js';
import { podInfoOf } from '../pod-info.js';
import { makeNode, makePod } from '../testing/builders.js';
import { nodeInfoOf } from '../testing/node-infos.js';
import { defaultNamespaceLabels, parseAffinityTerms } from './affinity-terms.js';
import { podsMatchingAllTerms, requiredAntiAffinityOnNode } from './node-cache.js';

const web = (name: string) =>
  podInfoOf(makePod().name(name).label('app', 'web').podAntiAffinityIn('app', ['web'], 'kubernetes.io/hostname').obj());

/** A NodeInfo changed in place, as the scheduler cache does: new pods, generation bumped. */
function withPods(info: NodeInfo, pods: NodeInfo['pods']): NodeInfo {
  const changed = info as { -readonly [K in keyof NodeInfo]: NodeInfo[K] };
  changed.pods = pods;
  changed.podsWithAffinity = pods;
  changed.generation += 1;
  return info;
}

describe('per-node caches of InterPodAffinity', () => {
  it('shares parsed terms between pods with the same terms, so they count as one term', () => {
    const info = nodeInfoOf(makeNode().name('n').obj(), [web('a'), web('b')]);
    expect(requiredAntiAffinityOnNode(info).map((entry) => entry.count)).toEqual([2]);
  });

  it('counts again after the node changes (generation bumped)', () => {
    const info = nodeInfoOf(makeNode().name('n').obj(), [web('a')]);
    const [term] = parseAffinityTerms(web('x').pod).requiredAntiAffinity;
    expect(podsMatchingAllTerms(term.alone, info, defaultNamespaceLabels)).toBe(1);
    expect(requiredAntiAffinityOnNode(info)[0].count).toBe(1);
    withPods(info, [web('a'), web('b'), web('c')]);
    expect(podsMatchingAllTerms(term.alone, info, defaultNamespaceLabels)).toBe(3);
    expect(requiredAntiAffinityOnNode(info)[0].count).toBe(3);
  });
});
