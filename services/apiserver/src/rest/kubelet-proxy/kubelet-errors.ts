/**
 * A kubelet's refusal turned into the Status the client sees, as kube-apiserver's
 * GenericHttpResponseChecker: a Status body passes through as it is; a text body becomes
 * the message of a Status with the kubelet's code (400 BadRequest, 404 NotFound, 500
 * InternalError ...), so `kubectl logs` prints the kubelet's own words.
 */
import { type Status, StatusError, type StatusReason } from '@tkube/api';

/** The most of a kubelet's error body that is read (kube reads 50000 bytes). */
export const MAX_ERROR_BODY_BYTES = 50_000;

const REASONS: Record<number, StatusReason> = {
  400: 'BadRequest',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'NotFound',
  405: 'MethodNotAllowed',
  406: 'NotAcceptable',
  409: 'Conflict',
  410: 'Gone',
  415: 'UnsupportedMediaType',
  422: 'Invalid',
  429: 'TooManyRequests',
  503: 'ServiceUnavailable',
  504: 'Timeout',
};

/** apimachinery's NewGenericServerResponse wording when the body says nothing. */
function genericMessage(code: number): string {
  switch (code) {
    case 400:
      return 'the server rejected our request for an unknown reason';
    case 401:
      return 'the server has asked for the client to provide credentials';
    case 403:
      return 'the server does not allow access to the requested resource';
    case 404:
      return 'the server could not find the requested resource';
    default:
      return `the server responded with the status code ${code} but did not return more information`;
  }
}

function asStatus(body: string): Status | undefined {
  try {
    const parsed: unknown = JSON.parse(body);
    if (typeof parsed !== 'object' || parsed === null) return undefined;
    const status = parsed as Status;
    return status.kind === 'Status' && typeof status.message === 'string' ? status : undefined;
  } catch {
    return undefined;
  }
}

export function kubeletError(code: number, body: string): StatusError {
  const status = asStatus(body);
  if (status) return StatusError.fromStatus({ ...status, code: status.code ?? code });
  const text = body.trim();
  if (code === 500) return StatusError.internal(text || genericMessage(code));
  return new StatusError(code, REASONS[code] ?? 'InternalError', text || genericMessage(code));
}

/** The kubelet could not be reached at all (kube: "error dialing backend: ..."). */
export function kubeletUnreachable(err: unknown): StatusError {
  const message = err instanceof Error ? err.message : String(err);
  return StatusError.internal(`error dialing backend: ${message}`, err);
}
