/**
 * Content negotiation for /openapi/v2, as kube-openapi does it: JSON, or gnostic's protobuf
 * under its media type (and the older dotted alias), whichever the Accept list names first.
 */
import { parseAccept } from './negotiation.js';

/**
 * The Content-Type of the protobuf answer. kubectl asks with the `@v1.0` spelling, but '@' is
 * not a token character and Go's mime parser rejects it, so kube-apiserver answers (and
 * kubectl can only read) the dotted spelling.
 */
export const OPENAPI_V2_PROTOBUF = 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf';

const PROTOBUF_TYPES = new Set([OPENAPI_V2_PROTOBUF, 'application/com.github.proto-openapi.spec.v2@v1.0+protobuf']);
const JSON_TYPES = new Set(['application/json', 'application/*', '*/*']);

export type OpenApiV2Format = 'json' | 'protobuf';

/** The encoding to answer with, or undefined when the client accepts neither (406). */
export function openApiV2Format(accept: string | undefined): OpenApiV2Format | undefined {
  for (const media of parseAccept(accept)) {
    if (PROTOBUF_TYPES.has(media.type)) return 'protobuf';
    if (JSON_TYPES.has(media.type) && media.params.as === undefined) return 'json';
  }
  return undefined;
}
