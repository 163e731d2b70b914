/**
 * The names the plugin gives what it creates on the host, derived only from its
 * configuration and the attachment, so Del, Check and Gc find them again after a restart
 * without any state besides the IPAM directory.
 */
import { createHash, randomBytes } from 'node:crypto';

/**
 * The host end of an attachment's veth pair: "veth" + 8 hex digits of a hash of the
 * container id and interface name (15 bytes at most, as the kernel requires).
 */
export function hostVethName(containerId: string, ifname: string): string {
  return `veth${createHash('sha256').update(`${containerId}\n${ifname}`).digest('hex').slice(0, 8)}`;
}

/** The nat chain holding one MASQUERADE rule per attachment on this bridge. */
export function masqueradeChain(bridge: string): string {
  return `TKUBE-MASQ-${bridge}`;
}

/** The filter chain accepting forwarded traffic to and from this bridge. */
export function forwardChain(bridge: string): string {
  return `TKUBE-FWD-${bridge}`;
}

/** The comment on the jumps into the plugin's chains: names the bridge that owns them. */
export function jumpComment(bridge: string): string {
  return `tkube-cni-bridge:${bridge}`;
}

const ATTACHMENT_COMMENT_PREFIX = 'tkube-cni:';

/** The comment naming the attachment a MASQUERADE rule belongs to (no spaces: iptables -S prints it bare). */
export function attachmentComment(containerId: string, ifname: string): string {
  return `${ATTACHMENT_COMMENT_PREFIX}${containerId}:${ifname}`;
}

/** The attachment a rule comment names, if it is one of ours. */
export function attachmentOfComment(comment: string): { containerId: string; ifname: string } | undefined {
  if (!comment.startsWith(ATTACHMENT_COMMENT_PREFIX)) return undefined;
  const rest = comment.slice(ATTACHMENT_COMMENT_PREFIX.length);
  const colon = rest.lastIndexOf(':');
  if (colon <= 0 || colon === rest.length - 1) return undefined;
  return { containerId: rest.slice(0, colon), ifname: rest.slice(colon + 1) };
}

/** A random unicast, locally administered MAC address for a container interface. */
export function randomMac(): string {
  const bytes = randomBytes(6);
  bytes[0] = ((bytes[0] ?? 0) & 0xfc) | 0x02;
  return [...bytes].map((b) => b.toString(16).padStart(2, '0')).join(':');
}
