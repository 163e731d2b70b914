/** Small readers for printers: objects arrive as untyped JSON, so every access is narrowed. */

export type Json = Record<string, unknown>;

export function obj(value: unknown): Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : {};
}

export function list(value: unknown): Json[] {
  return Array.isArray(value) ? value.map(obj) : [];
}

export function str(value: unknown, fallback = ''): string {
  return typeof value === 'string' ? value : fallback;
}

export function num(value: unknown, fallback = 0): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : fallback;
}

export function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

/** `a=1,b=2`, sorted by key, as labels.FormatLabels; "<none>" when empty. */
export function formatLabels(value: unknown): string {
  const entries = Object.entries(obj(value)).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  if (entries.length === 0) return '<none>';
  return entries.map(([key, v]) => `${key}=${str(v)}`).join(',');
}

/** A LabelSelector as its string form ("app=nginx,tier in (a,b)"); "<none>" without one. */
export function formatSelector(value: unknown): string {
  if (value === undefined || value === null) return '<none>';
  const selector = obj(value);
  const requirements: { key: string; text: string }[] = [];
  for (const [key, v] of Object.entries(obj(selector.matchLabels)))
    requirements.push({ key, text: `${key}=${str(v)}` });
  for (const expression of list(selector.matchExpressions)) {
    const key = str(expression.key);
    const values = strings(expression.values).sort();
    switch (expression.operator) {
      case 'In':
        requirements.push({ key, text: `${key} in (${values.join(',')})` });
        break;
      case 'NotIn':
        requirements.push({ key, text: `${key} notin (${values.join(',')})` });
        break;
      case 'Exists':
        requirements.push({ key, text: key });
        break;
      case 'DoesNotExist':
        requirements.push({ key, text: `!${key}` });
        break;
    }
  }
  requirements.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return requirements.map((r) => r.text).join(',');
}

/** Container names and images of a pod template ("nginx", "busybox:1.35"). */
export function containerColumns(podSpec: unknown): [string, string] {
  const containers = list(obj(podSpec).containers);
  return [containers.map((c) => str(c.name)).join(','), containers.map((c) => str(c.image)).join(',')];
}
