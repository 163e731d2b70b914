/**
 * Query parameters read as kube-apiserver's parameter codec reads them into option
 * structs (PodLogOptions, PodExecOptions): the first value counts; a bool is false only
 * for "0" or "false" (any case); an int64 is strconv.ParseInt's, with its error wording.
 * Malformed values answer 400 BadRequest.
 */
import { StatusError } from '@tkube/api';

/** undefined when the parameter is absent. */
export function queryBool(query: URLSearchParams, name: string): boolean | undefined {
  const value = query.get(name);
  if (value === null) return undefined;
  return !(value === '0' || value.toLowerCase() === 'false');
}

const INT64_MAX = 2n ** 63n - 1n;
const INT64_MIN = -(2n ** 63n);

/** undefined when absent; an empty value reads as 0, as Go's Convert_string_To_int64. */
export function queryInt64(query: URLSearchParams, name: string): number | undefined {
  const value = query.get(name);
  if (value === null) return undefined;
  if (value === '') return 0;
  if (!/^[+-]?\d+$/.test(value)) {
    throw StatusError.badRequest(`strconv.ParseInt: parsing ${goQuote(value)}: invalid syntax`);
  }
  const big = BigInt(value);
  if (big > INT64_MAX || big < INT64_MIN) {
    throw StatusError.badRequest(`strconv.ParseInt: parsing ${goQuote(value)}: value out of range`);
  }
  // Larger values than 2^53 mean "everything" for every option read this way; clamp them.
  if (big > BigInt(Number.MAX_SAFE_INTEGER)) return Number.MAX_SAFE_INTEGER;
  if (big < BigInt(Number.MIN_SAFE_INTEGER)) return Number.MIN_SAFE_INTEGER;
  return Number(big);
}

/** RFC 3339 at second precision, as metav1.Time reads a query parameter; "" and "null" mean unset. */
export function queryTime(query: URLSearchParams, name: string): Date | undefined {
  const value = query.get(name);
  if (value === null || value === '' || value === 'null') return undefined;
  const rfc3339 = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;
  const parsed = rfc3339.test(value) ? new Date(value) : undefined;
  if (!parsed || Number.isNaN(parsed.getTime())) {
    throw StatusError.badRequest(`parsing time ${goQuote(value)} as "2006-01-02T15:04:05Z07:00": not an RFC 3339 time`);
  }
  return parsed;
}

function goQuote(value: string): string {
  return JSON.stringify(value);
}
