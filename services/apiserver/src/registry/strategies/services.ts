/**
 * Services: status starts as an empty load balancer status, and a Service gets its cluster
 * IP and node ports (service-allocation.ts) from the cluster's configured ranges when it is
 * created, and when an update gives it a type that needs them.
 */
import type { ResourceInfo } from '@tkube/api';
import { defaultStrategy, type ResourceStrategy } from '../strategy.js';
import { allocateServiceAddresses, keepAllocated } from './service-allocation.js';
import { DEFAULT_SERVICE_RANGES, type ServiceRanges } from './service-ranges.js';

export function serviceStrategy(info: ResourceInfo, ranges: ServiceRanges = DEFAULT_SERVICE_RANGES): ResourceStrategy {
  const base = defaultStrategy(info);
  return {
    ...base,
    prepareForCreate(object) {
      base.prepareForCreate(object);
      object.status = { loadBalancer: {} };
    },
    prepareForUpdate(object, old) {
      base.prepareForUpdate(object, old);
      keepAllocated(object, old);
    },
    async allocate(object, existing, old) {
      return allocateServiceAddresses(object, await existing(), ranges, undefined, old);
    },
  };
}
