/**
 * PersistentVolumes and claims start Pending: kube sets the phase on create so a new
 * volume or claim reads as waiting until the volume controllers bind it.
 */
import type { ResourceInfo } from '@tkube/api';
import { defaultStrategy, type ResourceStrategy } from '../strategy.js';

export function pendingPhaseStrategy(info: ResourceInfo): ResourceStrategy {
  const base = defaultStrategy(info);
  return {
    ...base,
    prepareForCreate(object) {
      base.prepareForCreate(object);
      object.status = { phase: 'Pending' };
    },
  };
}
