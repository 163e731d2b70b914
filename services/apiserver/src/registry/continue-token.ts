/**
 * The continue token of a paginated list: base64 of JSON holding the snapshot's revision
 * and the key to resume from (relative to the list's prefix, inclusive), the shape
 * kube-apiserver uses. Clients treat it as opaque.
 */
import { StatusError } from '@tkube/api';

export interface ContinuePosition {
  revision: number;
  /** The first key of the next page, relative to the list prefix. */
  start: string;
}

const TOKEN_VERSION = 'meta.k8s.io/v1';

export function encodeContinue(position: ContinuePosition): string {
  const json = JSON.stringify({ v: TOKEN_VERSION, rv: position.revision, start: position.start });
  return Buffer.from(json, 'utf8').toString('base64url');
}

export function decodeContinue(token: string): ContinuePosition {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    throw invalid('not a continue token');
  }
  if (parsed === null || typeof parsed !== 'object') throw invalid('not a continue token');
  const { v, rv, start } = parsed as Record<string, unknown>;
  if (v !== TOKEN_VERSION) throw invalid('server does not recognize this encoded key version');
  if (typeof rv !== 'number' || !Number.isSafeInteger(rv) || rv <= 0)
    throw invalid('incorrect encoded start resourceVersion (version meta.k8s.io/v1)');
  if (typeof start !== 'string' || start === '') throw invalid('encoded start key empty (version meta.k8s.io/v1)');
  return { revision: rv, start };
}

function invalid(why: string): StatusError {
  return StatusError.badRequest(`continue key is not valid: ${why}`);
}
