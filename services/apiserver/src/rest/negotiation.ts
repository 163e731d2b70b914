/**
 * Content negotiation as kube-apiserver does it: the Accept header is a list of media
 * types with parameters (`application/json;as=Table;v=v1;g=meta.k8s.io`), taken in order;
 * the first one the server can produce wins.
 */
import { StatusError } from '@tkube/api';

export interface MediaType {
  /** "application/json", lower case, without parameters. */
  type: string;
  params: Record<string, string>;
}

export function parseMediaType(text: string): MediaType {
  const [type, ...rawParams] = text.split(';');
  const params: Record<string, string> = {};
  for (const raw of rawParams) {
    const eq = raw.indexOf('=');
    if (eq < 0) continue;
    params[raw.slice(0, eq).trim().toLowerCase()] = raw
      .slice(eq + 1)
      .trim()
      .replace(/^"(.*)"$/, '$1');
  }
  return { type: type.trim().toLowerCase(), params };
}

export function parseAccept(header: string | undefined): MediaType[] {
  if (!header || header.trim() === '') return [{ type: '*/*', params: {} }];
  return header
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '')
    .map(parseMediaType);
}

function isJsonLike(type: string): boolean {
  return type === 'application/json' || type === '*/*' || type === 'application/*';
}

/** What a resource response is encoded as. */
export type ResponseFormat =
  | { encoding: 'json' | 'yaml'; table?: undefined }
  | { encoding: 'json'; table: 'v1' | 'v1beta1' };

const ACCEPTED = 'application/json, application/yaml, application/json;as=Table;v=v1;g=meta.k8s.io';

/**
 * The format of a resource response: a meta.k8s.io Table when the client asks for one
 * first (kubectl get), YAML or JSON otherwise. Protobuf is not spoken; clients that list
 * it also list JSON.
 */
export function negotiateResource(accept: string | undefined): ResponseFormat {
  for (const media of parseAccept(accept)) {
    if (media.params.as === 'Table') {
      if (media.type === 'application/json' && media.params.g === 'meta.k8s.io') {
        if (media.params.v === 'v1' || media.params.v === 'v1beta1') return { encoding: 'json', table: media.params.v };
      }
      continue;
    }
    if (media.params.as !== undefined) continue;
    if (isJsonLike(media.type)) return { encoding: 'json' };
    if (media.type === 'application/yaml') return { encoding: 'yaml' };
  }
  throw StatusError.notAcceptable(`only the following media types are accepted: ${ACCEPTED}`);
}

export const AGGREGATED_DISCOVERY_V2 = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList';

/** Whether /api or /apis should answer with the aggregated (apidiscovery.k8s.io/v2) form. */
export function wantsAggregatedDiscovery(accept: string | undefined): boolean {
  for (const media of parseAccept(accept)) {
    const { g, v, as } = media.params;
    if (
      media.type === 'application/json' &&
      g === 'apidiscovery.k8s.io' &&
      v === 'v2' &&
      as === 'APIGroupDiscoveryList'
    ) {
      return true;
    }
    if (g === undefined && as === undefined && isJsonLike(media.type)) return false;
  }
  return false;
}

/** Whether the client accepts plain JSON at all (for endpoints that only speak JSON). */
export function acceptsJson(accept: string | undefined): boolean {
  return parseAccept(accept).some((media) => isJsonLike(media.type) && media.params.as === undefined);
}
