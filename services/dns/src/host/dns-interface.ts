/**
 * The link that holds the DNS address on the host. Pods reach 10.96.0.10 through their
 * bridge's gateway: the host routes to its own addresses, so an address on any local link
 * is delivered locally. A dummy link is the natural holder; kernels built without it (some
 * VMs) get an empty bridge instead, which holds an address as well. The link is marked with
 * an alias so that `--cleanup` removes only a link this program made.
 */
import { type IpCommand, IpCommandError } from './ip-command.js';

/** Written to the link's alias: what makes a link ours. */
export const LINK_ALIAS = 'tkube-dns';
/** The kinds tried in order when creating the link. */
const LINK_KINDS = ['dummy', 'bridge'] as const;

export class InterfaceSetupError extends Error {
  override name = 'InterfaceSetupError';
  constructor(
    message: string,
    readonly interfaceName: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

interface LinkInfo {
  kind: string | undefined;
  alias: string | undefined;
}

/** Creates `name` if missing, puts `address`/32 on it, brings it up. Safe to repeat. */
export async function ensureDnsInterface(ip: IpCommand, name: string, address: string): Promise<{ created: boolean }> {
  const existing = await linkInfo(ip, name);
  if (existing && existing.alias !== LINK_ALIAS && existing.kind !== 'dummy') {
    throw new InterfaceSetupError(
      `the link ${name} exists (kind ${existing.kind ?? 'unknown'}) and was not made by tkube-dns; choose another --interface`,
      name,
    );
  }
  if (!existing) await createLink(ip, name);
  try {
    await ip.run(['link', 'set', 'dev', name, 'alias', LINK_ALIAS]);
    // replace: present already (a restart) is not an error.
    await ip.run(['addr', 'replace', `${address}/32`, 'dev', name]);
    await ip.run(['link', 'set', 'dev', name, 'up']);
  } catch (err) {
    throw new InterfaceSetupError(`could not put ${address}/32 on ${name}: ${messageOf(err)}`, name, { cause: err });
  }
  return { created: !existing };
}

/** Deletes `name` if it is ours. "absent" when there is no such link. */
export async function removeDnsInterface(ip: IpCommand, name: string): Promise<'removed' | 'absent'> {
  const existing = await linkInfo(ip, name);
  if (!existing) return 'absent';
  if (existing.alias !== LINK_ALIAS) {
    throw new InterfaceSetupError(
      `the link ${name} was not made by tkube-dns (no "${LINK_ALIAS}" alias); left alone`,
      name,
    );
  }
  try {
    await ip.run(['link', 'del', 'dev', name]);
  } catch (err) {
    if (isNoSuchDevice(err)) return 'absent';
    throw new InterfaceSetupError(`could not delete ${name}: ${messageOf(err)}`, name, { cause: err });
  }
  return 'removed';
}

async function createLink(ip: IpCommand, name: string): Promise<void> {
  const failures: string[] = [];
  for (const kind of LINK_KINDS) {
    try {
      await ip.run(['link', 'add', name, 'type', kind]);
      return;
    } catch (err) {
      failures.push(`${kind}: ${messageOf(err)}`);
    }
  }
  throw new InterfaceSetupError(`could not create the link ${name} (${failures.join('; ')})`, name);
}

async function linkInfo(ip: IpCommand, name: string): Promise<LinkInfo | undefined> {
  let output: string;
  try {
    output = await ip.run(['-j', '-d', 'link', 'show', 'dev', name]);
  } catch (err) {
    if (isNoSuchDevice(err)) return undefined;
    throw new InterfaceSetupError(`could not look at the link ${name}: ${messageOf(err)}`, name, { cause: err });
  }
  const links: unknown = JSON.parse(output);
  const link = Array.isArray(links) ? (links[0] as unknown) : undefined;
  if (!isRecord(link)) return undefined;
  const linkinfo = link.linkinfo;
  return {
    kind: isRecord(linkinfo) && typeof linkinfo.info_kind === 'string' ? linkinfo.info_kind : undefined,
    alias: typeof link.ifalias === 'string' ? link.ifalias : undefined,
  };
}

function isNoSuchDevice(err: unknown): boolean {
  return err instanceof IpCommandError && /does not exist|cannot find device/i.test(err.stderr);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
