/**
 * Decodes an `application/vnd.kubernetes.protobuf` request body into the plain JSON object
 * the same request would have carried as JSON; from there it takes the JSON path
 * (kind checks, type checks, field validation).
 */
import { StatusError } from '@tkube/api';
import { decodeMessage, type JsonObject } from './decode-message.js';
import { readEnvelope } from './envelope.js';
import { malformedBody } from './errors.js';
import { messageForKind } from './message-table.js';
import { WireFormatError } from './wire-reader.js';

export const PROTOBUF_MEDIA_TYPE = 'application/vnd.kubernetes.protobuf';

/** What the request path expects, used (as kube-apiserver does) when the envelope leaves them out. */
export interface KindDefaults {
  apiVersion: string;
  kind: string;
}

export function decodeProtobufObject(body: Uint8Array, defaults?: KindDefaults): JsonObject {
  let envelope: ReturnType<typeof readEnvelope>;
  try {
    envelope = readEnvelope(body);
  } catch (err) {
    if (err instanceof WireFormatError)
      throw malformedBody(`${err.message} (in io.k8s.apimachinery.pkg.runtime.Unknown)`);
    throw err;
  }
  const kind = envelope.kind || defaults?.kind || '';
  const apiVersion = envelope.apiVersion || defaults?.apiVersion || '';
  if (kind === '') throw StatusError.badRequest("Object 'Kind' is missing in the protobuf body");
  if (apiVersion === '') throw StatusError.badRequest("Object 'apiVersion' is missing in the protobuf body");
  const messageName = messageForKind(apiVersion, kind);
  if (messageName === undefined) {
    throw StatusError.badRequest(
      `kind ${kind} of ${apiVersion} cannot be decoded from protobuf by tkube; send JSON instead`,
    );
  }
  return { apiVersion, kind, ...decodeMessage(envelope.raw, messageName) };
}
