/**
 * Decoding request bodies: JSON by default, YAML for `application/yaml`, with the
 * messages kube-apiserver gives for bodies it cannot read.
 */
import { StatusError } from '@tkube/api';
import { parse as parseYaml } from 'yaml';
import { findDuplicateKeys } from './json-duplicates.js';
import { parseMediaType } from './negotiation.js';

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
 * The encoding of a request body by its Content-Type: JSON (also when none is given) or
 * YAML. Anything else, protobuf included, is 415 as kube-apiserver answers for media types
 * it does not serve; clients such as kubectl then send JSON instead.
 */
export function bodyEncoding(contentType: string | undefined): 'json' | 'yaml' {
  if (contentType === undefined || contentType.trim() === '') return 'json';
  const type = parseMediaType(contentType).type;
  if (type === 'application/json') return 'json';
  if (YAML_TYPES.has(type)) return 'yaml';
  throw StatusError.unsupportedMediaType(contentType);
}

/** Parses a body; `describe` names what was expected, for the error message. */
export function decodeBody(body: Buffer, encoding: 'json' | 'yaml', describe: string): DecodedBody {
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
