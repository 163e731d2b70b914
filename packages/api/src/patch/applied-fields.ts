/**
 * The fields a server-side apply configuration sets, in the FieldsV1 form of kube's
 * managedFields ({"f:spec": {"f:replicas": {}}, ...}), and the removal of those a manager
 * set before and no longer does. Lists are told apart as strategic merge patch tells
 * them: items of a list merged by key are "k:{"name":"web"}" (with "." for the item
 * itself), values of a list merged as a set "v:"a"", and any other list is one field.
 * Of metadata, only labels, annotations, finalizers and ownerReferences are fields a
 * configuration sets: name, namespace and the rest are identity or the server's.
 */
import type { ResourceInfo } from '../resources.js';
import { isJsonObject, type JsonObject } from './json-value.js';
import { type FieldPatchMeta, patchMetaFor, type StructPatchMeta } from './patch-meta.js';

/** kube's FieldsV1: a tree of "f:field", "k:{key}" and "v:value" members, {} at the leaves. */
export type FieldSet = { [member: string]: FieldSet };

const METADATA_FIELDS = new Set(['labels', 'annotations', 'finalizers', 'ownerReferences']);
const IDENTITY_FIELDS = new Set(['apiVersion', 'kind', 'status']);

/** The fields `configuration` (a whole object, as applied) sets. */
export function appliedFieldSet(
  configuration: JsonObject,
  info: Pick<ResourceInfo, 'group' | 'version' | 'kind'>,
): FieldSet {
  const meta = patchMetaFor(info);
  const set: FieldSet = {};
  for (const [field, value] of Object.entries(configuration)) {
    if (IDENTITY_FIELDS.has(field)) continue;
    if (field === 'metadata') {
      if (!isJsonObject(value)) continue;
      const kept = Object.fromEntries(Object.entries(value).filter(([name]) => METADATA_FIELDS.has(name)));
      if (Object.keys(kept).length > 0) set['f:metadata'] = objectFields(kept, meta.field('metadata')?.fields);
      continue;
    }
    set[`f:${field}`] = valueFields(value, meta.field(field));
  }
  return set;
}

/**
 * Removes from `object` what `before` names and `after` does not: what a manager's earlier
 * configuration set and its new one leaves out. Changes `object`.
 */
export function removeDroppedFields(
  object: JsonObject,
  before: FieldSet,
  after: FieldSet,
  info: Pick<ResourceInfo, 'group' | 'version' | 'kind'>,
): void {
  removeFromObject(object, before, after, patchMetaFor(info));
}

function objectFields(value: JsonObject, meta: StructPatchMeta | undefined): FieldSet {
  const set: FieldSet = {};
  for (const [field, item] of Object.entries(value)) set[`f:${field}`] = valueFields(item, meta?.field(field));
  return set;
}

function valueFields(value: unknown, meta: FieldPatchMeta | undefined): FieldSet {
  if (isJsonObject(value)) return objectFields(value, meta?.fields);
  if (!Array.isArray(value) || meta?.listStrategy !== 'merge') return {};
  const set: FieldSet = {};
  for (const item of value) {
    const member = listMember(item, meta);
    if (member === undefined) return {}; // an item without its key: the list is one field
    set[member] = isJsonObject(item) ? { '.': {}, ...objectFields(item, meta.fields) } : {};
  }
  return set;
}

/** "k:{"name":"web"}" for an item of a list merged by key, "v:"a"" for a value of a set. */
function listMember(item: unknown, meta: FieldPatchMeta): string | undefined {
  if (isJsonObject(item)) {
    if (!meta.mergeKey || !(meta.mergeKey in item)) return undefined;
    return `k:${JSON.stringify({ [meta.mergeKey]: item[meta.mergeKey] })}`;
  }
  return `v:${JSON.stringify(item)}`;
}

function removeFromObject(
  object: JsonObject,
  before: FieldSet,
  after: FieldSet,
  meta: StructPatchMeta | undefined,
): void {
  for (const [member, children] of Object.entries(before)) {
    if (!member.startsWith('f:')) continue;
    const field = member.slice(2);
    const kept = after[member];
    if (kept === undefined) {
      delete object[field];
      continue;
    }
    const value = object[field];
    const fieldMeta = meta?.field(field);
    if (isJsonObject(value)) removeFromObject(value, children, kept, fieldMeta?.fields);
    else if (Array.isArray(value) && fieldMeta) object[field] = removeFromList(value, children, kept, fieldMeta);
  }
}

function removeFromList(list: unknown[], before: FieldSet, after: FieldSet, meta: FieldPatchMeta): unknown[] {
  return list.filter((item) => {
    const member = listMember(item, meta);
    if (member === undefined || before[member] === undefined) return true;
    const kept = after[member];
    if (kept === undefined) return false;
    if (isJsonObject(item)) removeFromObject(item, before[member], kept, meta.fields);
    return true;
  });
}
