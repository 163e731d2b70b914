/**
 * Kubernetes' MicroTime on the wire: RFC 3339 in UTC with exactly six fractional digits
 * ("2006-01-02T15:04:05.000000Z"), as the acquireTime and renewTime of a Lease carry it.
 */

/** JavaScript dates hold milliseconds, so the last three digits are always zero. */
export function formatMicroTime(date: Date): string {
  const iso = date.toISOString(); // "2006-01-02T15:04:05.000Z"
  return `${iso.slice(0, -1)}000Z`;
}
