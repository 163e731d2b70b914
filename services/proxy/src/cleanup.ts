/** --cleanup: remove every chain and jump of one instance (kube-proxy's --cleanup). */
import { chainNames, instanceTag } from './rules/chain-names.js';
import { cleanupText } from './rules/cleanup-plan.js';
import type { RuleWriter } from './sync/proxier.js';

/** Resolves with the number of chains removed (0 when there was nothing). */
export async function cleanupInstance(writer: RuleWriter, instance: string): Promise<number> {
  const prefix = chainNames(instanceTag(instance)).prefix;
  const existing = await writer.save();
  const text = cleanupText(existing, prefix);
  if (text === undefined) return 0;
  await writer.restore(text);
  return [existing.nat, existing.filter].reduce(
    (n, table) => n + (table?.chains.filter((c) => c.startsWith(prefix)).length ?? 0),
    0,
  );
}
