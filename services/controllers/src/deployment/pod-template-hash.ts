/**
 * The pod-template-hash label: names a Deployment's ReplicaSet after its pod template, as
 * kube's controller.ComputeHash does. Kube hashes the template with FNV-32a (through a
 * Go-specific printer), mixes in collisionCount as 4 little-endian bytes, and safe-encodes
 * the decimal sum so the label never spells words. We hash the template's canonical JSON
 * (keys sorted, so key order never changes the hash) instead of Go's printer: the same
 * template gives the same hash on every sync, though the value differs from kube's.
 */
import type { PodTemplateSpec } from '@tkube/api';

export const POD_TEMPLATE_HASH_LABEL = 'pod-template-hash';

const FNV32_OFFSET = 0x811c9dc5;
const FNV32_PRIME = 0x01000193;
/** k8s.io/apimachinery/pkg/util/rand's alphabet: no vowels, no look-alike digits. */
const SAFE_ALPHANUMS = 'bcdfghjklmnpqrstvwxz2456789';

export function computeHash(template: PodTemplateSpec | undefined, collisionCount?: number): string {
  let hash = fnv32a(FNV32_OFFSET, new TextEncoder().encode(canonicalJson(template ?? {})));
  if (collisionCount !== undefined) {
    const bytes = new Uint8Array(4);
    new DataView(bytes.buffer).setUint32(0, collisionCount >>> 0, true);
    hash = fnv32a(hash, bytes);
  }
  return safeEncodeString(String(hash));
}

function fnv32a(seed: number, bytes: Uint8Array): number {
  let hash = seed;
  for (const byte of bytes) {
    hash ^= byte;
    hash = Math.imul(hash, FNV32_PRIME) >>> 0;
  }
  return hash >>> 0;
}

/** rand.SafeEncodeString: each character maps to the safe alphabet by its code. */
export function safeEncodeString(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) out += SAFE_ALPHANUMS[text.charCodeAt(i) % SAFE_ALPHANUMS.length];
  return out;
}

/** JSON with object keys sorted at every level; `undefined` members are dropped as JSON does. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map((item) => canonicalJson(item ?? null)).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, member]) => member !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([key, member]) => `${JSON.stringify(key)}:${canonicalJson(member)}`).join(',')}}`;
}
