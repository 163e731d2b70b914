/**
 * Services: status starts as an empty load balancer status, and a new Service gets its
 * cluster IP and node ports (service-allocation.ts).
 */
import type { ResourceInfo } from '@tkube/api';
import { defaultStrategy, type ResourceStrategy } from '../strategy.js';
import { allocateServiceAddresses } from './service-allocation.js';

export function serviceStrategy(info: ResourceInfo): ResourceStrategy {
  const base = defaultStrategy(info);
  return {
    ...base,
    prepareForCreate(object) {
      base.prepareForCreate(object);
      object.status = { loadBalancer: {} };
    },
    async allocate(object, existing) {
      return allocateServiceAddresses(object, await existing());
    },
  };
}
