/**
 * Services: status starts as an empty load balancer status, and a new Service gets its
 * cluster IP and node ports (service-allocation.ts) from the cluster's configured ranges.
 */
import type { ResourceInfo } from '@tkube/api';
import { defaultStrategy, type ResourceStrategy } from '../strategy.js';
import { allocateServiceAddresses } from './service-allocation.js';
import { DEFAULT_SERVICE_RANGES, type ServiceRanges } from './service-ranges.js';

export function serviceStrategy(info: ResourceInfo, ranges: ServiceRanges = DEFAULT_SERVICE_RANGES): ResourceStrategy {
  const base = defaultStrategy(info);
  return {
    ...base,
    prepareForCreate(object) {
      base.prepareForCreate(object);
      object.status = { loadBalancer: {} };
    },
    async allocate(object, existing) {
      return allocateServiceAddresses(object, await existing(), ranges);
    },
  };
}
