/**
 * The names of one proxy's chains. Several proxies (nodes of several clusters) share this
 * host's network namespace, so every name starts with TKP and a short tag derived from
 * --instance: `TKP<tag>-SERVICES`, `TKP<tag>-SVC-<hash>`, `TKP<tag>-SEP-<hash>`. A chain
 * name may hold at most 28 characters (the kernel's 29 bytes with the NUL); the longest
 * here is 26. The hashes are kube-proxy's: base32 of sha256, truncated.
 */
import { createHash } from 'node:crypto';

/** Longest chain name iptables accepts. */
export const MAX_CHAIN_NAME = 28;

const TAG_LENGTH = 5;
const HASH_LENGTH = 13;
const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** RFC 4648 base32 without padding. */
export function base32(bytes: Uint8Array): string {
  let out = '';
  let bits = 0;
  let value = 0;
  for (const byte of bytes) {
    value = ((value << 8) | byte) & 0xffff;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += BASE32[(value << (5 - bits)) & 31];
  return out;
}

function hashOf(text: string, length: number): string {
  return base32(createHash('sha256').update(text).digest()).slice(0, length);
}

/** The short tag of an instance: 5 base32 characters (25 bits) of its sha256. */
export function instanceTag(instance: string): string {
  return hashOf(instance, TAG_LENGTH);
}

/** The fixed chains of one proxy; nat and filter chains may share a name (different tables). */
export interface ChainNames {
  /** Every chain of this proxy starts with it: `TKP<tag>-`. */
  readonly prefix: string;
  /** nat: ClusterIP dispatch (and the NodePort jump); filter: REJECT for services with no endpoint. */
  readonly services: string;
  readonly nodePorts: string;
  readonly markMasq: string;
  readonly postrouting: string;
  /** filter: accepts forwarded service traffic (FORWARD's policy may be DROP, as Docker sets it). */
  readonly forward: string;
  /** filter: drops outside traffic to 127/8, which route_localnet would otherwise let in. */
  readonly firewall: string;
}

export function chainNames(tag: string): ChainNames {
  const prefix = `TKP${tag}-`;
  return {
    prefix,
    services: `${prefix}SERVICES`,
    nodePorts: `${prefix}NODEPORTS`,
    markMasq: `${prefix}MARK-MASQ`,
    postrouting: `${prefix}POSTROUTING`,
    forward: `${prefix}FORWARD`,
    firewall: `${prefix}FIREWALL`,
  };
}

/** `namespace/name:portName` and the protocol name one service port (kube's ServicePortName). */
export function serviceChain(tag: string, servicePortName: string, protocol: string): string {
  return `TKP${tag}-SVC-${hashOf(servicePortName + protocol.toLowerCase(), HASH_LENGTH)}`;
}

/** One endpoint ("ip:port") of one service port. */
export function endpointChain(tag: string, servicePortName: string, protocol: string, endpoint: string): string {
  return `TKP${tag}-SEP-${hashOf(servicePortName + protocol.toLowerCase() + endpoint, HASH_LENGTH)}`;
}
