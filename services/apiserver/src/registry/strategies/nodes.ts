/**
 * Nodes: the kubelet registers its Node with its status (capacity, allocatable, addresses)
 * in the create body, so create keeps status; updates of the main resource still cannot
 * change it (the kubelet posts status through the status subresource).
 */
import type { ResourceInfo } from '@tkube/api';
import { defaultStrategy, type ResourceStrategy } from '../strategy.js';

export function nodeStrategy(info: ResourceInfo): ResourceStrategy {
  return { ...defaultStrategy(info), prepareForCreate() {} };
}
