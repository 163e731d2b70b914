/**
 * The pieces every tkube command line is made of: strict parsing of "--flag value" and
 * "--flag=value", and validators that turn a flag's text into its value or a FlagError
 * naming the flag. A program's main prints a FlagError with its usage and exits 2.
 */
import { isIP } from 'node:net';
import { type ParseArgsOptionsConfig, parseArgs } from 'node:util';
import { LOG_LEVELS, type LogLevel } from './log-level.js';

/** A command line that cannot be run: an unknown flag, a missing or malformed value. */
export class FlagError extends Error {
  override name = 'FlagError';
}

/** What a command line asks for: the program's help, or a run with this configuration. */
export type ParsedFlags<Config> = { help: true } | { help: false; config: Config };

type StrictConfig<Options extends ParseArgsOptionsConfig> = {
  args: string[];
  options: Options;
  strict: true;
  allowPositionals: true;
};

/** The flags' values, typed by their declarations (a string flag with a default is never undefined). */
export type FlagValues<Options extends ParseArgsOptionsConfig> = ReturnType<
  typeof parseArgs<StrictConfig<Options>>
>['values'];

/**
 * Parses `argv` against `options` (node:util parseArgs, strict). Unknown flags, a missing
 * value and any positional argument are FlagErrors.
 */
export function parseCommandLine<const Options extends ParseArgsOptionsConfig>(
  argv: readonly string[],
  options: Options,
): FlagValues<Options> {
  let parsed: ReturnType<typeof parseArgs<StrictConfig<Options>>>;
  try {
    parsed = parseArgs({ args: [...argv], options, strict: true, allowPositionals: true });
  } catch (err) {
    throw new FlagError(err instanceof Error ? err.message : String(err));
  }
  if (parsed.positionals.length > 0) throw new FlagError(`unexpected argument "${parsed.positionals[0]}"`);
  return parsed.values;
}

/** A whole number from `min` to `max`; "+1", "1.0" and "0x10" are refused. */
export function integerIn(flag: string, value: string, min: number, max: number): number {
  if (!/^\d+$/.test(value)) throw new FlagError(`${flag} must be a whole number, not "${value}"`);
  const n = Number(value);
  if (n < min || n > max) throw new FlagError(`${flag} must be between ${min} and ${max}, not ${n}`);
  return n;
}

/** An IPv4 or IPv6 address, as written. */
export function ipAddress(flag: string, value: string): string {
  if (isIP(value) === 0) throw new FlagError(`${flag} must be an IP address, not "${value}"`);
  return value;
}

/** Any text but blanks (paths and names, whose form the program checks when it uses them). */
export function nonEmpty(flag: string, value: string): string {
  if (value.trim() === '') throw new FlagError(`${flag} must not be empty`);
  return value;
}

/** A gRPC address: "host:port", "[ipv6]:port" (port 0 picks a free one) or "unix:/path". */
export function grpcAddress(flag: string, value: string): string {
  if (value.startsWith('unix:')) {
    if (value.length <= 'unix:'.length) throw new FlagError(`${flag} unix: needs a socket path`);
    return value;
  }
  const match = /^(?:\[([^\]]+)\]|([^:]+)):(\d+)$/.exec(value);
  if (!match) throw new FlagError(`${flag} must be host:port, [ipv6]:port or unix:/path, not "${value}"`);
  integerIn(`${flag} port`, match[3] ?? '', 0, 65535);
  return value;
}

/**
 * Where a service serves /healthz, /readyz and /metrics: host:port (port 0 picks one), or
 * "" for nowhere, as kube-proxy's --healthz-bind-address.
 */
export function healthzAddress(flag: string, value: string): string | undefined {
  if (value === '') return undefined;
  if (!/^[^:[\]]+:\d+$/.test(value)) throw new FlagError(`${flag} must be host:port or "", not "${value}"`);
  integerIn(`${flag} port`, value.slice(value.lastIndexOf(':') + 1), 0, 65535);
  return value;
}

/** One of pino's levels. */
export function logLevel(flag: string, value: string): LogLevel {
  const level = LOG_LEVELS.find((l) => l === value);
  if (!level) throw new FlagError(`${flag} must be one of ${LOG_LEVELS.join(', ')}, not "${value}"`);
  return level;
}

/** "true" or "false", as Go's flag package writes booleans given a value. */
export function trueOrFalse(flag: string, value: string): boolean {
  if (value === 'true') return true;
  if (value === 'false') return false;
  throw new FlagError(`${flag} must be true or false, not "${value}"`);
}

const DURATION_UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** A Go-style duration of one unit ("300s", "5m", "1500ms"); a bare number is seconds. */
export function durationMs(flag: string, value: string): number {
  const match = /^(\d+)(ms|s|m|h)?$/.exec(value.trim());
  if (!match) throw new FlagError(`${flag} must be a duration such as 30s or 5m, not "${value}"`);
  return Number(match[1]) * (DURATION_UNITS[match[2] ?? 's'] ?? 1000);
}

/** "a, b,,c" -> ["a", "b", "c"]: blanks around items and empty items are dropped. */
export function commaList(value: string): string[] {
  return value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
}
