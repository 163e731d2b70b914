/**
 * Decoding request bodies: JSON by default, YAML for `application/yaml`, Kubernetes
 * protobuf for `application/vnd.kubernetes.protobuf`, with the messages kube-apiserver
 * gives for bodies it cannot read.
 */
import { StatusError } from '@tkube/api';
import { parse as parseYaml } from 'yaml';
import { findDuplicateKeys } from './json-duplicates.js';
import { parseMediaType } from './negotiation.js';
import { decodeProtobufObject, type KindDefaults, PROTOBUF_MEDIA_TYPE } from './protobuf/decode-protobuf.js';

export type BodyEncoding = 'json' | 'yaml' | 'protobuf';

export interface DecodedBody {
  value: unknown;
  /** Repeated keys (JSON only; YAML refuses them while parsing). */
  duplicateFields: string[];
}

/** The first bytes of a body, as kube quotes it in decode errors. */
export function summarize(body: Buffer, max = 30): string {
  const text = body.subarray(0, max).toString('utf8');
  return body.length > max ? `${text} ...` : text;
}

const YAML_TYPES = new Set(['application/yaml', 'application/x-yaml', 'text/yaml']);

/**
 * The encoding of a request body by its Content-Type: JSON (also when none is given), YAML
 * or protobuf (what kubectl's typed clients send, e.g. for `kubectl create deployment`).
 * Anything else is 415 as kube-apiserver answers for media types it does not serve.
 */
export function bodyEncoding(contentType: string | undefined): BodyEncoding {
  if (contentType === undefined || contentType.trim() === '') return 'json';
  const type = parseMediaType(contentType).type;
  if (type === 'application/json') return 'json';
  if (YAML_TYPES.has(type)) return 'yaml';
  if (type === PROTOBUF_MEDIA_TYPE) return 'protobuf';
  throw StatusError.unsupportedMediaType(contentType);
}

/**
 * Parses a body; `describe` names what was expected, for the error message. A protobuf
 * body becomes the plain object its JSON form would be; `defaults` supply its apiVersion
 * and kind when the envelope leaves them out.
 */
export function decodeBody(
  body: Buffer,
  encoding: BodyEncoding,
  describe: string,
  defaults?: KindDefaults,
): DecodedBody {
  if (encoding === 'protobuf') return { value: decodeProtobufObject(body, defaults), duplicateFields: [] };
  const text = body.toString('utf8');
  if (text.trim() === '') {
    throw StatusError.badRequest(
      `the object provided is unrecognized (must be of type ${describe}): couldn't get version/kind; json parse error: unexpected end of JSON input (${summarize(body)})`,
    );
  }
  try {
    if (encoding === 'yaml') {
      return { value: parseYaml(text, { uniqueKeys: true, maxAliasCount: 100 }) as unknown, duplicateFields: [] };
    }
    const value: unknown = JSON.parse(text);
    return { value, duplicateFields: findDuplicateKeys(text) };
  } catch (err) {
    if (err instanceof StatusError) throw err;
    const reason =
      err instanceof RangeError ? 'the object is nested too deeply' : err instanceof Error ? err.message : String(err);
    const parser = encoding === 'yaml' ? 'yaml parse error' : 'json parse error';
    throw StatusError.badRequest(
      `the object provided is unrecognized (must be of type ${describe}): couldn't get version/kind; ${parser}: ${reason} (${summarize(body)})`,
    );
  }
}
