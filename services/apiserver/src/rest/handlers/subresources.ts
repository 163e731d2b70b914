/**
 * Subresources with their own registry operations: pods/binding (the scheduler's POST)
 * and namespaces/finalize (the namespace controller's PUT).
 */
import { type Binding, StatusError } from '@tkube/api';
import { bodyEncoding, decodeBody } from '../decode.js';
import { decodeObject } from '../decode-object.js';
import { negotiateResource } from '../negotiation.js';
import { fieldValidation, writeOptions } from '../query-options.js';
import { readBody } from '../request-body.js';
import type { ResourceRequest } from '../resource-request.js';
import { setWarnings, writeBody } from '../response.js';
import { nameToPath } from './object-scope.js';

export async function createBinding(request: ResourceRequest): Promise<void> {
  const bind = request.registry.bind;
  if (!bind || request.namespace === undefined) throw StatusError.pathNotFound();
  const format = negotiateResource(request.req.headers.accept);
  const options = writeOptions(request.query, request.req.headers['user-agent']);
  const body = await readBody(request.req, request.maxBodyBytes);
  const { value } = decodeBody(body, bodyEncoding(request.req.headers['content-type']), 'Binding');
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw StatusError.badRequest('the object provided is unrecognized (must be of type Binding)');
  }
  const binding = value as Binding;
  if ((binding.kind ?? 'Binding') !== 'Binding' || (binding.apiVersion ?? 'v1') !== 'v1') {
    throw StatusError.badRequest(
      `${String(binding.kind)} in version "${String(binding.apiVersion)}" cannot be handled as a Binding`,
    );
  }
  const status = await bind(request.namespace, request.name ?? '', binding, options);
  writeBody(request.res, 201, status, format.encoding);
}

export async function finalizeNamespace(request: ResourceRequest): Promise<void> {
  const finalize = request.registry.finalize;
  if (!finalize) throw StatusError.pathNotFound();
  const format = negotiateResource(request.req.headers.accept);
  const options = writeOptions(request.query, request.req.headers['user-agent']);
  const body = await readBody(request.req, request.maxBodyBytes);
  const { object, warnings } = decodeObject(
    request.info,
    body,
    request.req.headers['content-type'],
    fieldValidation(request.query),
  );
  nameToPath(object, request.name ?? '');
  const result = await finalize(request.name ?? '', object, options);
  setWarnings(request.res, [...warnings, ...result.warnings]);
  writeBody(request.res, 200, result.object, format.encoding);
}
