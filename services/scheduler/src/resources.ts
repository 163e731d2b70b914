/**
 * Resource amounts as the scheduler sums and compares them: millicores, bytes and counts,
 * as plain numbers, so that adding a pod to a node costs a few additions and Filter and
 * Score never parse a quantity.
 */
import { Quantity, QuantityError } from '@tkube/api';
import type { Resources } from './framework/types.js';

type ResourceList = Readonly<Record<string, string | number>>;

/**
 * Extended resources ("example.com/gpu"), huge pages and attachable volumes: what the
 * scheduler counts as scalar resources. Other unknown names are not scheduled on.
 */
export function isScalarResourceName(name: string): boolean {
  return name.includes('/') || name.startsWith('hugepages-') || name.startsWith('attachable-volumes-');
}

export function emptyResources(): Resources {
  return { milliCpu: 0, memory: 0, ephemeralStorage: 0, pods: 0, scalar: {} };
}

/** A resource list ("cpu": "500m", "memory": "1Gi") in scheduler units; an unparsable amount counts as 0. */
export function resourcesOf(list: ResourceList | undefined): Resources {
  const resources = emptyResources();
  if (!list) return resources;
  for (const [name, text] of Object.entries(list)) {
    const quantity = parseOrUndefined(text);
    if (!quantity) continue;
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
        if (isScalarResourceName(name)) resources.scalar[name] = Number(quantity.value());
    }
  }
  return resources;
}

/** `into += sign * amount`, in place (the pods count is the caller's: it counts pods, not requests). */
export function addResources(into: Resources, amount: Resources, sign: 1 | -1 = 1): void {
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

function parseOrUndefined(text: string | number): Quantity | undefined {
  try {
    return Quantity.from(text);
  } catch (err) {
    if (err instanceof QuantityError) return undefined;
    throw err;
  }
}
