/**
 * Docker speaks RFC 3339 with nanoseconds ("2024-05-01T10:00:00.123456789Z", the zero time
 * "0001-01-01T00:00:00Z" for never); the CRI speaks nanoseconds since the epoch as int64.
 */

const RFC3339 = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/;

/** Nanoseconds since the epoch, 0n for Docker's zero time or anything unreadable. */
export function rfc3339ToNanos(text: string): bigint {
  const match = RFC3339.exec(text.trim());
  if (!match) return 0n;
  const [, seconds, fraction = '', zone] = match;
  const millis = Date.parse(`${seconds}${zone}`);
  if (!Number.isFinite(millis) || millis <= 0) return 0n;
  return BigInt(millis) * 1_000_000n + BigInt(fraction.padEnd(9, '0'));
}

/** Docker's `since` form: "seconds.nanoseconds". */
export function nanosToDockerSince(nanos: bigint): string {
  const seconds = nanos / 1_000_000_000n;
  const rest = nanos % 1_000_000_000n;
  return `${seconds}.${rest.toString().padStart(9, '0')}`;
}

export function secondsToNanos(seconds: number): bigint {
  return BigInt(Math.trunc(seconds)) * 1_000_000_000n;
}

export function nowNanos(): bigint {
  return BigInt(Date.now()) * 1_000_000n;
}
