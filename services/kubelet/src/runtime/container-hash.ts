/**
 * A container spec's hash (kube's HashContainer): a container whose spec changed in a way
 * that needs a new container (image, command, env, ...) is restarted. Resources are left
 * out, as in kube, so that a resize does not restart. Keys are sorted so the hash does not
 * depend on the order fields arrived in.
 */
import { createHash } from 'node:crypto';
import type { Container } from '@tkube/api';

export function hashContainer(container: Container): string {
  const { resources: _resources, resizePolicy: _resizePolicy, ...rest } = container;
  return createHash('sha256').update(canonicalJson(rest)).digest('hex').slice(0, 8);
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
