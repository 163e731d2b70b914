/**
 * The host's resolver file as kube's kubelet reads it (pkg/kubelet/network/dns
 * parseResolvConf): `nameserver` lines accumulate, the last `search` line wins (trailing
 * dots dropped, "." ignored), `options` accumulate with a later value of the same option
 * replacing the earlier one.
 */
import { readFile } from 'node:fs/promises';

export interface HostResolvConf {
  servers: string[];
  searches: string[];
  options: string[];
}

/** Larger files are refused, as kube refuses those over 10 MiB: no resolver reads such a thing. */
const MAX_RESOLV_CONF_BYTES = 10 * 1024 * 1024;

export function parseResolvConf(text: string): HostResolvConf {
  const conf: HostResolvConf = { servers: [], searches: [], options: [] };
  for (const line of text.split('\n')) {
    // glibc takes '#' and ';' as comments.
    const [key, ...values] = line
      .replace(/[#;].*$/, '')
      .trim()
      .split(/\s+/);
    if (key === 'nameserver' && values[0]) conf.servers.push(values[0]);
    else if (key === 'search') {
      conf.searches = values.map((domain) => domain.replace(/\.$/, '')).filter((domain) => domain !== '');
    } else if (key === 'options') conf.options = mergeOptions(conf.options, values);
  }
  return conf;
}

/** `options` strings ("ndots:5", "edns0") with `later` replacing same-named ones of `earlier` in place. */
export function mergeOptions(earlier: readonly string[], later: readonly string[]): string[] {
  const byName = new Map<string, string>();
  for (const option of [...earlier, ...later]) byName.set(optionName(option), option);
  return [...byName.values()];
}

export function optionName(option: string): string {
  const colon = option.indexOf(':');
  return colon === -1 ? option : option.slice(0, colon);
}

/** Reads and parses the file; a missing or unreadable file is an error, as in kube. */
export async function readResolvConf(path: string): Promise<HostResolvConf> {
  const text = await readFile(path, 'utf8');
  if (Buffer.byteLength(text) > MAX_RESOLV_CONF_BYTES) {
    throw new Error(`${path} is larger than ${MAX_RESOLV_CONF_BYTES} bytes`);
  }
  return parseResolvConf(text);
}
