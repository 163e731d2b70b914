/**
 * Writing responses as kube-apiserver does: JSON (or YAML) bodies with their content type,
 * Status objects for failures with the HTTP code they carry, and `Warning: 299` headers.
 */
import type { ServerResponse } from 'node:http';
import { type StatusError, toStatusError } from '@tkube/api';
import { stringify as toYaml } from 'yaml';

export function setWarnings(res: ServerResponse, warnings: readonly string[]): void {
  if (warnings.length === 0 || res.headersSent) return;
  // RFC 7234 warn-text is a quoted string; JSON's escaping of `"` and `\` is the same.
  res.setHeader(
    'Warning',
    warnings.map((text) => `299 - ${JSON.stringify(text)}`),
  );
}

export function writeBody(
  res: ServerResponse,
  code: number,
  body: unknown,
  encoding: 'json' | 'yaml' = 'json',
  contentType?: string,
): void {
  const text = encoding === 'yaml' ? toYaml(body) : JSON.stringify(body);
  res.statusCode = code;
  res.setHeader('Content-Type', contentType ?? (encoding === 'yaml' ? 'application/yaml' : 'application/json'));
  res.setHeader('Content-Length', Buffer.byteLength(text));
  res.end(text);
}

export function writeJson(res: ServerResponse, code: number, body: unknown, contentType?: string): void {
  writeBody(res, code, body, 'json', contentType);
}

/** Writes any thrown value as its Status (unknown errors become 500 InternalError). */
export function writeError(res: ServerResponse, err: unknown): StatusError {
  const error = toStatusError(err);
  if (res.headersSent) {
    res.destroy();
    return error;
  }
  if (error.code === 429 && error.details?.retryAfterSeconds !== undefined) {
    res.setHeader('Retry-After', String(error.details.retryAfterSeconds));
  }
  writeJson(res, error.code, error.toStatus());
  return error;
}
