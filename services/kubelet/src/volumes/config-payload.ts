/**
 * What a configMap or secret volume holds: every key as a file, or only the listed items
 * at their paths; modes from the item, else defaultMode, else 0644 (kube's
 * MakePayload for both volume types).
 */
import type { ConfigMap, Secret, Volume } from '@tkube/api';
import type { FileProjection } from './atomic-writer.js';

export const DEFAULT_MODE = 0o644;

type KeyToPath = { key: string; path: string; mode?: number };

export class MissingKeyError extends Error {
  override name = 'MissingKeyError';
}

export function configMapPayload(
  source: NonNullable<Volume['configMap']>,
  configMap: ConfigMap,
): Map<string, FileProjection> {
  const values = new Map<string, Buffer>();
  for (const [key, value] of Object.entries(configMap.data ?? {})) values.set(key, Buffer.from(value, 'utf8'));
  for (const [key, value] of Object.entries(configMap.binaryData ?? {})) values.set(key, Buffer.from(value, 'base64'));
  return payloadOf(values, source.items, source.defaultMode, source.optional ?? false, 'configmap');
}

export function secretPayload(source: NonNullable<Volume['secret']>, secret: Secret): Map<string, FileProjection> {
  const values = new Map<string, Buffer>();
  for (const [key, value] of Object.entries(secret.data ?? {})) values.set(key, Buffer.from(value, 'base64'));
  for (const [key, value] of Object.entries(secret.stringData ?? {})) {
    if (!values.has(key)) values.set(key, Buffer.from(value, 'utf8'));
  }
  return payloadOf(values, source.items, source.defaultMode, source.optional ?? false, 'secret');
}

function payloadOf(
  values: Map<string, Buffer>,
  items: KeyToPath[] | undefined,
  defaultMode: number | undefined,
  optional: boolean,
  kind: string,
): Map<string, FileProjection> {
  const mode = defaultMode ?? DEFAULT_MODE;
  const payload = new Map<string, FileProjection>();
  if (!items || items.length === 0) {
    for (const [key, data] of values) payload.set(key, { data, mode });
    return payload;
  }
  for (const item of items) {
    const data = values.get(item.key);
    if (data === undefined) {
      if (optional) continue;
      throw new MissingKeyError(`${kind} references non-existent config key: ${item.key}`);
    }
    payload.set(item.path, { data, mode: item.mode ?? mode });
  }
  return payload;
}
