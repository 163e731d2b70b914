import { describe, expect, it } from 'vitest';
import { CONTROLLERS, enabledControllers } from './controller-manager.js';

const KNOWN = ['replicaset', 'garbagecollector', 'nodeipam'];

describe('enabledControllers', () => {
  it('enables all with *, minus the ones disabled', () => {
    expect(enabledControllers(['*'], KNOWN)).toEqual(KNOWN);
    expect(enabledControllers(['*', '-nodeipam'], KNOWN)).toEqual(['replicaset', 'garbagecollector']);
  });

  it('enables only the ones named without *', () => {
    expect(enabledControllers(['garbagecollector'], KNOWN)).toEqual(['garbagecollector']);
  });

  it('knows the ReplicaSet controller and the garbage collector', () => {
    expect(Object.keys(CONTROLLERS)).toEqual(expect.arrayContaining(['replicaset', 'garbagecollector']));
  });
});
