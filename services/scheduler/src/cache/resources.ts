/**
 * Resource amounts as the scheduler sums them: millicores, bytes and counts, as plain
 * numbers so that adding a pod to a node costs a few additions, not quantity parsing.
 */
import { parseQuantity } from '@tkube/api';
import type { Resources } from '../framework/types.js';

export function emptyResources(): Resources {
  return { milliCpu: 0, memory: 0, ephemeralStorage: 0, pods: 0, scalar: {} };
}

/** `into += sign * amount`, in place (the pods count is the caller's: it counts pods, not requests). */
export function addResources(into: Resources, amount: Resources, sign: 1 | -1): void {
  into.milliCpu += sign * amount.milliCpu;
  into.memory += sign * amount.memory;
  into.ephemeralStorage += sign * amount.ephemeralStorage;
  for (const [name, value] of Object.entries(amount.scalar)) {
    const next = (into.scalar[name] ?? 0) + sign * value;
    if (next === 0) delete into.scalar[name];
    else into.scalar[name] = next;
  }
}

export function copyResources(resources: Resources): Resources {
  return { ...resources, scalar: { ...resources.scalar } };
}

/** A node's status.allocatable (or capacity) as Resources; an unparsable amount counts as 0. */
export function resourcesOfList(list: Readonly<Record<string, string>> | undefined): Resources {
  const resources = emptyResources();
  for (const [name, text] of Object.entries(list ?? {})) {
    let quantity: ReturnType<typeof parseQuantity>;
    try {
      quantity = parseQuantity(String(text));
    } catch {
      continue;
    }
    switch (name) {
      case 'cpu':
        resources.milliCpu = Number(quantity.milliValue());
        break;
      case 'memory':
        resources.memory = Number(quantity.value());
        break;
      case 'ephemeral-storage':
        resources.ephemeralStorage = Number(quantity.value());
        break;
      case 'pods':
        resources.pods = Number(quantity.value());
        break;
      default:
        resources.scalar[name] = Number(quantity.value());
    }
  }
  return resources;
}
