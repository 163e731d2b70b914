import { describe, expect, it } from 'vitest';
import { defaultPlugins } from './index.js';

describe('defaultPlugins', () => {
  it("lists the plugins in kube-scheduler's default order", () => {
    expect(defaultPlugins().map((plugin) => plugin.name)).toEqual([
      'NodeUnschedulable',
      'NodeName',
      'TaintToleration',
      'NodeAffinity',
      'NodePorts',
      'NodeResourcesFit',
      'PodTopologySpread',
      'InterPodAffinity',
      'NodeResourcesBalancedAllocation',
    ]);
  });
});
