/**
 * Small helpers over the JSON form of objects: metadata access, copying, comparison and the
 * RFC 3339 timestamps Kubernetes writes (whole seconds, "Z").
 */
import type { KubeObject, ObjectMeta, ResourceInfo } from '@tkube/api';
import { apiVersionOf } from '@tkube/api';

/** The object's metadata, created empty when missing so callers can write into it. */
export function metaOf(object: KubeObject): ObjectMeta {
  if (object.metadata === undefined || object.metadata === null || typeof object.metadata !== 'object') {
    object.metadata = {};
  }
  return object.metadata;
}

/** Objects are JSON: a structured clone is a deep copy and never shares state with storage. */
export function copyObject<T>(object: T): T {
  return structuredClone(object);
}

/** What a client sees: apiVersion and kind set, resourceVersion = the storage revision. */
export function presentObject(info: ResourceInfo, object: KubeObject, revision: number | undefined): KubeObject {
  const out = copyObject(object);
  out.apiVersion = apiVersionOf(info);
  out.kind = info.kind;
  const meta = metaOf(out);
  if (revision === undefined) delete meta.resourceVersion;
  else meta.resourceVersion = String(revision);
  return reorderTypeFields(out);
}

/** The form kept in storage: the revision is the resourceVersion, so it is not stored twice. */
export function storedForm(info: ResourceInfo, object: KubeObject): KubeObject {
  const out = copyObject(object);
  out.apiVersion = apiVersionOf(info);
  out.kind = info.kind;
  delete metaOf(out).resourceVersion;
  return reorderTypeFields(out);
}

/** apiVersion, kind, metadata first, as Kubernetes serialises them (nicer to read in YAML). */
function reorderTypeFields(object: KubeObject): KubeObject {
  const { apiVersion, kind, metadata, ...rest } = object;
  return { apiVersion, kind, metadata, ...rest };
}

/** Deep equality of JSON values; a missing key and an undefined value are the same. */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((item, i) => jsonEqual(item, b[i]));
  }
  const left = a as Record<string, unknown>;
  const right = b as Record<string, unknown>;
  const keys = new Set([...Object.keys(left), ...Object.keys(right)]);
  for (const key of keys) {
    if (!jsonEqual(left[key], right[key])) return false;
  }
  return true;
}

/** RFC 3339 with whole seconds, the precision of metav1.Time. */
export function rfc3339(date: Date): string {
  const seconds = Math.floor(date.getTime() / 1000) * 1000;
  return new Date(seconds).toISOString().replace('.000Z', 'Z');
}

export function addSeconds(date: Date, seconds: number): Date {
  return new Date(date.getTime() + seconds * 1000);
}

/** A plain JSON object field (spec, status), or undefined when absent or not an object. */
export function objectField(object: KubeObject, field: string): Record<string, unknown> | undefined {
  const value = object[field];
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

/** The field as an object, created empty when missing. */
export function ensureObjectField(object: KubeObject, field: string): Record<string, unknown> {
  const existing = objectField(object, field);
  if (existing) return existing;
  const created: Record<string, unknown> = {};
  object[field] = created;
  return created;
}

export function finalizersOf(object: KubeObject): string[] {
  const finalizers = object.metadata?.finalizers;
  return Array.isArray(finalizers) ? finalizers : [];
}

export function isBeingDeleted(object: KubeObject): boolean {
  return typeof object.metadata?.deletionTimestamp === 'string' && object.metadata.deletionTimestamp !== '';
}
