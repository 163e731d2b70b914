/**
 * Storage keys: one bucket holds every object, so a key names the resource, the
 * namespace and the object:
 *
 *   r.<group or "core">.<resource>.<namespace or "_">.<name>
 *
 * NATS KV keys are `.`-separated tokens of [-/_=A-Za-z0-9], and object names contain `.`
 * (and `:` in RBAC names), so each token is escaped: every character outside [a-z0-9-]
 * becomes `/` followed by the two hex digits of each of its UTF-8 bytes. `/` never
 * appears unescaped, so escaping is reversible and no name can add a token or collide
 * with another. `/` (0x2f) sorts between `-` and `0` just as `.` does, so keys of
 * DNS-style names sort in the same order as the names themselves.
 *
 * "core" cannot collide with a real group: the built-in groups are fixed and every other
 * group (CRDs, aggregated APIs) must contain a dot. "_" cannot collide with a namespace,
 * because escaped tokens never contain `_`.
 */
import type { ResourceInfo } from '@tkube/api';

const KEY_ROOT = 'r';
const CORE_GROUP_TOKEN = 'core';
const CLUSTER_SCOPE_TOKEN = '_';
const ESCAPE = '/';
const PLAIN = /^[a-z0-9-]$/;

type KeyScope = Pick<ResourceInfo, 'group' | 'resource'>;

export function storageKey(info: KeyScope, namespace: string | undefined, name: string): string {
  if (name === '') throw new Error('a storage key needs a name');
  return `${storagePrefix(info, namespace ?? '')}${escapeToken(name)}`;
}

/**
 * The prefix of every key of one resource (namespace absent: all namespaces and
 * cluster-scoped objects), or of one namespace of it (namespace given; "" selects the
 * cluster-scoped objects). It ends with `.`, so it never selects a longer resource or
 * namespace name that merely starts the same way.
 */
export function storagePrefix(info: KeyScope, namespace?: string): string {
  const group = info.group === '' ? CORE_GROUP_TOKEN : escapeToken(info.group);
  const resourcePrefix = `${KEY_ROOT}.${group}.${escapeToken(info.resource)}.`;
  if (namespace === undefined) return resourcePrefix;
  return `${resourcePrefix}${namespace === '' ? CLUSTER_SCOPE_TOKEN : escapeToken(namespace)}.`;
}

export interface ParsedStorageKey {
  /** "" for the core group. */
  group: string;
  resource: string;
  /** Absent for cluster-scoped objects. */
  namespace?: string;
  name: string;
}

/** The inverse of storageKey; undefined for a string that is not a storage key. */
export function parseStorageKey(key: string): ParsedStorageKey | undefined {
  const tokens = key.split('.');
  if (tokens.length !== 5 || tokens[0] !== KEY_ROOT) return undefined;
  const [, groupToken, resourceToken, namespaceToken, nameToken] = tokens;
  const group = groupToken === CORE_GROUP_TOKEN ? '' : unescapeToken(groupToken);
  const resource = unescapeToken(resourceToken);
  const name = unescapeToken(nameToken);
  if (group === undefined || resource === undefined || name === undefined) return undefined;
  const parsed: ParsedStorageKey = { group, resource, name };
  if (namespaceToken === CLUSTER_SCOPE_TOKEN) return parsed;
  const namespace = unescapeToken(namespaceToken);
  if (namespace === undefined) return undefined;
  parsed.namespace = namespace;
  return parsed;
}

/** Escapes one token: [a-z0-9-] stays, everything else becomes `/xx` per UTF-8 byte. */
export function escapeToken(text: string): string {
  let out = '';
  for (const char of text) {
    if (PLAIN.test(char)) {
      out += char;
      continue;
    }
    for (const byte of Buffer.from(char, 'utf8')) out += ESCAPE + byte.toString(16).padStart(2, '0');
  }
  return out;
}

/** The inverse of escapeToken; undefined when the token is not a valid escaped token. */
export function unescapeToken(token: string): string | undefined {
  if (token === '' || !/^(?:[a-z0-9-]|\/[0-9a-f]{2})+$/.test(token)) return undefined;
  if (!token.includes(ESCAPE)) return token;
  const bytes: number[] = [];
  for (let i = 0; i < token.length; ) {
    if (token[i] === ESCAPE) {
      bytes.push(Number.parseInt(token.slice(i + 1, i + 3), 16));
      i += 3;
    } else {
      bytes.push(token.charCodeAt(i));
      i += 1;
    }
  }
  const decoded = Buffer.from(bytes).toString('utf8');
  // Round-tripping rejects non-canonical forms (an escaped plain character, broken UTF-8).
  return escapeToken(decoded) === token ? decoded : undefined;
}
