/**
 * The order in which a cycle walks the nodes (kube's nodeTree): zones interleaved, one node
 * of each zone in turn, so that a cycle which stops after a sample of the nodes still
 * sees every zone. Zones come in the order their first node came; nodes within a zone too.
 */
import type { Node } from '@tkube/api';

const ZONE_LABELS = ['topology.kubernetes.io/zone', 'failure-domain.beta.kubernetes.io/zone'];
const REGION_LABELS = ['topology.kubernetes.io/region', 'failure-domain.beta.kubernetes.io/region'];

export function zoneOf(node: Node): string {
  const labels = node.metadata?.labels ?? {};
  const pick = (keys: string[]) => keys.map((k) => labels[k]).find((v) => v !== undefined && v !== '') ?? '';
  const region = pick(REGION_LABELS);
  const zone = pick(ZONE_LABELS);
  return region === '' && zone === '' ? '' : `${region}:\u0000:${zone}`;
}

/** `items` (in arrival order) interleaved by zone. */
export function interleaveByZone<T>(items: readonly T[], zone: (item: T) => string): T[] {
  const zones = new Map<string, T[]>();
  for (const item of items) {
    const key = zone(item);
    let list = zones.get(key);
    if (!list) {
      list = [];
      zones.set(key, list);
    }
    list.push(item);
  }
  if (zones.size <= 1) return [...items];
  const lists = [...zones.values()];
  const result: T[] = [];
  for (let i = 0; result.length < items.length; i++) {
    for (const list of lists) {
      const item = list[i];
      if (item !== undefined) result.push(item);
    }
  }
  return result;
}
