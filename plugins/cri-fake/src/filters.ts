/**
 * CRI list filters: fields ANDed, label selectors equality only. An id filter matches an
 * exact id in one map read and falls back to a prefix match (truncated ids, as containerd
 * and Docker accept them) only when nothing has that exact id.
 */

export function matchesSelector(
  labels: Readonly<Record<string, string>>,
  selector: Readonly<Record<string, string>> | undefined,
): boolean {
  if (!selector) return true;
  for (const key in selector) {
    if (labels[key] !== selector[key]) return false;
  }
  return true;
}

/** The records an id filter names: the exact one, else those whose id starts with it. */
export function selectById<T>(records: ReadonlyMap<string, T>, id: string): T[] {
  const exact = records.get(id);
  if (exact) return [exact];
  const matches: T[] = [];
  for (const [key, record] of records) {
    if (key.startsWith(id)) matches.push(record);
  }
  return matches;
}
