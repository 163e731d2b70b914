/**
 * Strategic merge patch (`application/strategic-merge-patch+json`), the patch kubectl
 * apply, patch, set image and set env send: a merge patch that knows which lists merge
 * (containers by name, ports by containerPort, ...; see patch-meta.ts) and which directives
 * steer it:
 *
 * - `null` removes a field;
 * - `$patch: replace` in an object replaces it, `$patch: delete` empties it; in a list,
 *   `{"$patch": "replace"}` replaces the list and `{name: x, "$patch": "delete"}` removes x;
 * - `$retainKeys: [...]` drops the fields of the object it does not name;
 * - `$deleteFromPrimitiveList/<field>: [...]` removes values from a merged list of primitives;
 * - `$setElementOrder/<field>: [...]` gives the order of the merged list.
 *
 * The algorithm is apimachinery's strategicpatch.mergeMap with kube-apiserver's options
 * (parallel deletion lists merged, unmatched nulls ignored), including its ordering of merged
 * lists: items named in the patch come first unless the live order says otherwise. Values
 * the patch adds are cleaned of nulls and directives, which kube-apiserver achieves by
 * decoding the result into Go structs.
 */
import { StatusError } from '../errors.js';
import type { ResourceInfo } from '../resources.js';
import { cloneJson, decodePatch, describeJson, isJsonObject, type JsonObject, setJsonKey } from './json-value.js';
import { type FieldPatchMeta, patchMetaFor, type StructPatchMeta } from './patch-meta.js';

const DIRECTIVE = '$patch';
const RETAIN_KEYS = '$retainKeys';
const DELETE_FROM_PRIMITIVE_LIST = '$deleteFromPrimitiveList/';
const SET_ELEMENT_ORDER = '$setElementOrder/';

/** Applies a strategic merge patch to an object of the kind `info` describes; `document` is not modified. */
export function applyStrategicMergePatch(document: unknown, patch: unknown, info: ResourceInfo): unknown {
  const decoded = decodePatch(patch);
  if (!isJsonObject(decoded)) {
    throw StatusError.badRequest(
      `json: cannot unmarshal ${jsonKind(decoded)} into Go value of type map[string]interface {}`,
    );
  }
  const original = isJsonObject(document) ? cloneJson(document) : {};
  return mergeMap(original, cloneJson(decoded), patchMetaFor(info));
}

// Kubernetes answers most malformed strategic patches with 400 and a few content mismatches
// with 422; the rest would be 500 there, which tkube never returns for a bad patch.
const badPatch = (message: string) => StatusError.badRequest(message);
const unprocessable = (message: string) => new StatusError(422, 'Invalid', message);

function jsonKind(value: unknown): string {
  if (Array.isArray(value)) return 'array';
  if (value === null) return 'null';
  if (typeof value === 'boolean') return 'bool';
  return typeof value;
}

/** Merges `patch` into `original`; both belong to this module and are changed. */
function mergeMap(original: JsonObject, patch: JsonObject, meta: StructPatchMeta | undefined): JsonObject {
  if (Object.hasOwn(patch, DIRECTIVE)) return mapDirective(patch, meta);
  applyRetainKeys(original, patch);
  applySetElementOrders(original, patch, meta);

  for (const [patchKey, patchValue] of Object.entries(patch)) {
    const isDeleteList = patchKey.startsWith(DELETE_FROM_PRIMITIVE_LIST);
    const key = isDeleteList ? patchKey.slice(DELETE_FROM_PRIMITIVE_LIST.length) : patchKey;
    const fieldMeta = meta?.field(key);

    if (patchValue === null) {
      delete original[key];
      continue;
    }
    const current = Object.hasOwn(original, key) ? original[key] : undefined;
    if (isJsonObject(current) && isJsonObject(patchValue)) {
      setJsonKey(original, key, mergeMap(current, patchValue, fieldMeta?.fields));
    } else if (Array.isArray(current) && Array.isArray(patchValue)) {
      setJsonKey(original, key, mergeListField(current, patchValue, fieldMeta, isDeleteList));
    } else if (!isDeleteList) {
      // A deletion list with nothing to delete from is dropped; anything else is new here.
      setJsonKey(original, key, freshValue(patchValue, fieldMeta));
    }
  }
  return original;
}

/** `$patch` in an object: "replace" takes the patch as the whole object, "delete" empties it. */
function mapDirective(patch: JsonObject, meta: StructPatchMeta | undefined): JsonObject {
  const directive = patch[DIRECTIVE];
  if (directive === 'replace') {
    const { [DIRECTIVE]: _directive, ...replacement } = patch;
    return mergeMap({}, replacement, meta);
  }
  if (directive === 'delete') return {};
  throw badPatch(`unknown patch type: ${String(directive)} in map: ${describeJson(patch)}`);
}

/** `$retainKeys`: keep only the named fields of the original; the patch must stay within them. */
function applyRetainKeys(original: JsonObject, patch: JsonObject): void {
  if (!Object.hasOwn(patch, RETAIN_KEYS)) return;
  const retained = patch[RETAIN_KEYS];
  delete patch[RETAIN_KEYS];
  if (!Array.isArray(retained)) throw badPatch('invalid patch format of retainKeys');
  const keep = new Set<unknown>(retained);
  for (const [key, value] of Object.entries(patch)) {
    if (value === null || key.startsWith(DELETE_FROM_PRIMITIVE_LIST) || key.startsWith(SET_ELEMENT_ORDER)) continue;
    if (!keep.has(key)) throw unprocessable("patch content doesn't match retainKeys list");
  }
  for (const key of Object.keys(original)) if (!keep.has(key)) delete original[key];
}

/**
 * `$setElementOrder/<field>`: merges the field's list now (and removes it from the patch)
 * so that the order directive can be applied to the result.
 */
function applySetElementOrders(original: JsonObject, patch: JsonObject, meta: StructPatchMeta | undefined): void {
  for (const [patchKey, order] of Object.entries(patch)) {
    if (!patchKey.startsWith(SET_ELEMENT_ORDER)) continue;
    delete patch[patchKey];
    if (!Array.isArray(order)) throw badPatch('invalid patch format of setElementOrder list');
    const key = patchKey.slice(SET_ELEMENT_ORDER.length);
    const fieldMeta = meta?.field(key);
    const mergeKey = fieldMeta?.mergeKey ?? '';
    const foundOriginal = Object.hasOwn(original, key);
    const foundPatch = Object.hasOwn(patch, key);
    const originalList = foundOriginal ? original[key] : [];
    const patchList = foundPatch ? patch[key] : [];
    if (!Array.isArray(originalList) || !Array.isArray(patchList)) {
      throw badPatch('invalid patch format of setElementOrder list');
    }
    validateAgainstOrder(patchList, order, mergeKey);

    let merged: unknown[];
    if (foundOriginal && foundPatch) merged = mergeListField(originalList, patchList, fieldMeta, false);
    else if (foundPatch) merged = freshList(patchList, fieldMeta);
    else if (foundOriginal) merged = originalList;
    else continue;

    const keyOf = itemKey(mergeKey);
    const inOrder = indexBy(order, keyOf);
    const named = merged.filter((item) => inOrder.has(keyOf(item)));
    const serverOnly = merged.filter((item) => !inOrder.has(keyOf(item)));
    setJsonKey(original, key, interleave(named, serverOnly, order, originalList, keyOf));
    delete patch[key];
  }
}

/** The items the patch keeps (not `$patch: delete`) must appear in the order list, in its order. */
function validateAgainstOrder(patchList: unknown[], order: unknown[], mergeKey: string): void {
  if (patchList.length === 0 || order.length === 0) return;
  const kept = mergeKey ? patchList.filter((item) => !(isJsonObject(item) && item[DIRECTIVE] === 'delete')) : patchList;
  const keyOf = itemKey(mergeKey);
  let patchIndex = 0;
  let orderIndex = 0;
  while (patchIndex < kept.length && orderIndex < order.length) {
    const item = kept[patchIndex];
    if (isJsonObject(item) && Object.hasOwn(item, DIRECTIVE)) {
      patchIndex++;
      continue;
    }
    if (mergeKey) {
      requireMergeKey(item, mergeKey);
      requireMergeKey(order[orderIndex], mergeKey);
    }
    if (keyOf(item) === keyOf(order[orderIndex])) patchIndex++;
    orderIndex++;
  }
  if (patchIndex < kept.length) {
    throw badPatch(
      `The order in patch list:\n${describeJson(patchList)}\n doesn't match ${SET_ELEMENT_ORDER} list:\n${describeJson(order)}\n`,
    );
  }
}

/** A list field with both an original and a patch value: merged if its strategy says so, else replaced. */
function mergeListField(
  original: unknown[],
  patch: unknown[],
  meta: FieldPatchMeta | undefined,
  isDeleteList: boolean,
): unknown[] {
  if (meta?.listStrategy === 'merge' || isDeleteList) return mergeList(original, patch, meta, isDeleteList);
  return freshList(patch, meta);
}

function mergeList(
  original: unknown[],
  patch: unknown[],
  meta: FieldPatchMeta | undefined,
  isDeleteList: boolean,
): unknown[] {
  if (original.length === 0 && patch.length === 0) return original;
  const itemsAreObjects = commonItemKind(original, patch) === 'object';

  if (!itemsAreObjects) {
    if (isDeleteList) return original.filter((item) => !patch.includes(item));
    const union = [...new Set([...original, ...patch])];
    const keyOf = itemKey('');
    return orderMerged(union, patch, original, keyOf);
  }

  const mergeKey = meta?.mergeKey;
  if (!mergeKey) throw badPatch(`cannot merge lists without merge key for ${describeJson(patch)}`);
  const { live, additions } = applyListDirectives(
    original as JsonObject[],
    patch as JsonObject[],
    mergeKey,
    meta?.fields,
  );
  const merged = [...live];
  for (const item of additions) {
    const value = requireMergeKey(item, mergeKey);
    const index = merged.findIndex((existing) => existing[mergeKey] === value);
    if (index >= 0) {
      const existing = merged[index];
      if (existing) merged[index] = mergeMap(existing, item, meta?.fields);
    } else {
      merged.push(mergeMap({}, item, meta?.fields));
    }
  }
  return orderMerged(merged, additions, live, itemKey(mergeKey));
}

/**
 * The `$patch` items of a list of objects: deletions remove live items by merge key,
 * `{"$patch": "replace"}` makes the other patch items the whole list.
 */
function applyListDirectives(
  original: JsonObject[],
  patch: JsonObject[],
  mergeKey: string,
  fields: StructPatchMeta | undefined,
): { live: JsonObject[]; additions: JsonObject[] } {
  let live = original;
  const additions: JsonObject[] = [];
  let replace = false;
  for (const item of patch) {
    if (!Object.hasOwn(item, DIRECTIVE)) {
      additions.push(item);
      continue;
    }
    const directive = item[DIRECTIVE];
    if (directive === 'delete') {
      const value = requireMergeKey(item, mergeKey);
      live = live.filter((existing) => existing[mergeKey] !== value);
    } else if (directive === 'replace') {
      replace = true;
    } else if (directive === 'merge') {
      throw badPatch('merging lists cannot yet be specified in the patch');
    } else {
      throw badPatch(`unknown patch type: ${String(directive)} in map: ${describeJson(item)}`);
    }
  }
  if (replace) return { live: additions.map((item) => mergeMap({}, item, fields)), additions: [] };
  return { live, additions };
}

function requireMergeKey(item: unknown, mergeKey: string): unknown {
  if (!isJsonObject(item) || !Object.hasOwn(item, mergeKey)) {
    throw badPatch(`map: ${describeJson(item)} does not contain declared merge key: ${mergeKey}`);
  }
  return item[mergeKey];
}

type ItemKind = 'object' | 'array' | 'null' | 'string' | 'number' | 'boolean';

/** The kind all items of both lists share; lists of lists and mixed lists cannot merge. */
function commonItemKind(...lists: unknown[][]): ItemKind {
  let kind: ItemKind | undefined;
  for (const list of lists) {
    for (const item of list) {
      const itemKind: ItemKind = Array.isArray(item)
        ? 'array'
        : item === null
          ? 'null'
          : isJsonObject(item)
            ? 'object'
            : (typeof item as 'string' | 'number' | 'boolean');
      if (itemKind === 'array') throw unprocessable('lists of lists are not supported');
      if (kind !== undefined && kind !== itemKind) {
        throw badPatch(`list element types are not identical: ${describeJson(lists)}`);
      }
      kind = itemKind;
    }
  }
  return kind ?? 'null';
}

// ---- Order of merged lists (apimachinery's normalizeElementOrder) ----

type KeyOf = (item: unknown) => unknown;

/** Objects are told apart by their merge key, primitives by themselves. */
function itemKey(mergeKey: string): KeyOf {
  return mergeKey ? (item) => (isJsonObject(item) ? item[mergeKey] : undefined) : (item) => item;
}

/** The first position of each key in a list. */
function indexBy(list: unknown[], keyOf: KeyOf): Map<unknown, number> {
  const index = new Map<unknown, number>();
  list.forEach((item, i) => {
    const key = keyOf(item);
    if (!index.has(key)) index.set(key, i);
  });
  return index;
}

/** Splits a merged list into the items the patch names and the live-only items, then interleaves them. */
function orderMerged(merged: unknown[], patch: unknown[], live: unknown[], keyOf: KeyOf): unknown[] {
  const inPatch = indexBy(patch, keyOf);
  const named = merged.filter((item) => inPatch.has(keyOf(item)));
  const serverOnly = merged.filter((item) => !inPatch.has(keyOf(item)));
  return interleave(named, serverOnly, patch, live, keyOf);
}

/**
 * Sorts the patch's items by `patchOrder` and the live-only items by the live order, then
 * merges the two: a live-only item goes first only when the live list had it before the
 * next patch item. So items new to the list come before the live-only ones.
 */
function interleave(
  named: unknown[],
  serverOnly: unknown[],
  patchOrder: unknown[],
  live: unknown[],
  keyOf: KeyOf,
): unknown[] {
  const sortedNamed = sortByOrder(named, patchOrder, keyOf);
  const sortedServerOnly = sortByOrder(serverOnly, live, keyOf);
  const liveIndex = indexBy(live, keyOf);
  const result: unknown[] = [];
  let i = 0;
  let j = 0;
  while (i < sortedServerOnly.length || j < sortedNamed.length) {
    if (j >= sortedNamed.length) {
      result.push(sortedServerOnly[i++]);
    } else if (i >= sortedServerOnly.length) {
      result.push(sortedNamed[j++]);
    } else {
      const left = liveIndex.get(keyOf(sortedServerOnly[i]));
      const right = liveIndex.get(keyOf(sortedNamed[j]));
      if (left !== undefined && right !== undefined && left < right) result.push(sortedServerOnly[i++]);
      else result.push(sortedNamed[j++]);
    }
  }
  return result;
}

/** A stable sort by position in `order`; items `order` does not hold keep their place after the others. */
function sortByOrder(items: unknown[], order: unknown[], keyOf: KeyOf): unknown[] {
  const index = indexBy(order, keyOf);
  const position = (item: unknown) => index.get(keyOf(item)) ?? Number.POSITIVE_INFINITY;
  return items
    .map((item, i) => ({ item, i }))
    .sort((a, b) => {
      const difference = position(a.item) - position(b.item);
      return Number.isNaN(difference) || difference === 0 ? a.i - b.i : difference;
    })
    .map(({ item }) => item);
}

// ---- Values the patch adds ----

/** A value new to the document, with its nulls and directives resolved against nothing. */
function freshValue(value: unknown, meta: FieldPatchMeta | undefined): unknown {
  if (isJsonObject(value)) return mergeMap({}, value, meta?.fields);
  if (Array.isArray(value)) return freshList(value, meta);
  return value;
}

function freshList(list: unknown[], meta: FieldPatchMeta | undefined): unknown[] {
  if (meta?.listStrategy === 'merge') return mergeList([], list, meta, false);
  return list.map((item) => (isJsonObject(item) ? mergeMap({}, item, meta?.fields) : item));
}
