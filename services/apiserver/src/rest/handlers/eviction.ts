/**
 * POST pods/{name}/eviction (policy/v1 Eviction), what `kubectl drain` sends: a graceful
 * delete of the pod with the Eviction's deleteOptions, answered 201 with a Success Status
 * as kube-apiserver answers. tkube has no PodDisruptionBudgets, so no eviction is ever
 * refused for one (kube's 429 TooManyRequests never comes).
 */
import { StatusError } from '@tkube/api';
import { bodyEncoding, decodeBody } from '../decode.js';
import { negotiateResource } from '../negotiation.js';
import { deleteOptions } from '../query-options.js';
import { readBody } from '../request-body.js';
import type { ResourceRequest } from '../resource-request.js';
import { writeBody } from '../response.js';

const EVICTION_VERSIONS = new Set(['policy/v1', 'policy/v1beta1']);

export async function createEviction(request: ResourceRequest): Promise<void> {
  if (request.namespace === undefined) throw StatusError.pathNotFound();
  const format = negotiateResource(request.req.headers.accept);
  const name = request.name ?? '';
  const body = await readBody(request.req, request.maxBodyBytes);
  const { value } = decodeBody(body, bodyEncoding(request.req.headers['content-type']), 'Eviction', {
    apiVersion: 'policy/v1',
    kind: 'Eviction',
  });
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw StatusError.badRequest('the object provided is unrecognized (must be of type Eviction)');
  }
  const eviction = value as {
    apiVersion?: unknown;
    kind?: unknown;
    metadata?: { name?: unknown };
    deleteOptions?: unknown;
  };
  if (
    (eviction.kind ?? 'Eviction') !== 'Eviction' ||
    !EVICTION_VERSIONS.has(String(eviction.apiVersion ?? 'policy/v1'))
  ) {
    throw StatusError.badRequest(
      `${String(eviction.kind)} in version "${String(eviction.apiVersion)}" cannot be handled as a Eviction`,
    );
  }
  if (eviction.metadata?.name !== undefined && eviction.metadata.name !== name) {
    throw StatusError.badRequest(`name in URL does not match name in Eviction object`);
  }
  const options = deleteOptions(request.query, eviction.deleteOptions ?? undefined);
  await request.registry.delete(request.namespace, name, options);
  writeBody(
    request.res,
    201,
    { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 },
    format.encoding,
  );
}
