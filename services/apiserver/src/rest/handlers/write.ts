/** POST (create) and PUT (update, and update of the status subresource). */

import { decodeObject } from '../decode-object.js';
import { negotiateResource } from '../negotiation.js';
import { fieldValidation, writeOptions } from '../query-options.js';
import { readBody } from '../request-body.js';
import type { ResourceRequest } from '../resource-request.js';
import { setWarnings, writeBody } from '../response.js';
import { nameToPath, scopeToPath } from './object-scope.js';

async function decodeRequestObject(request: ResourceRequest) {
  const body = await readBody(request.req, request.maxBodyBytes);
  const decoded = decodeObject(request.info, body, request.req.headers['content-type'], fieldValidation(request.query));
  scopeToPath(request.info, decoded.object, request.namespace);
  return decoded;
}

export async function createObject(request: ResourceRequest): Promise<void> {
  const format = negotiateResource(request.req.headers.accept);
  const options = writeOptions(request.query, request.req.headers['user-agent']);
  const { object, warnings } = await decodeRequestObject(request);
  const result = await request.registry.create(request.namespace, object, options);
  setWarnings(request.res, [...warnings, ...result.warnings]);
  writeBody(request.res, 201, result.object, format.encoding);
}

export async function updateObject(request: ResourceRequest): Promise<void> {
  const format = negotiateResource(request.req.headers.accept);
  const options = writeOptions(request.query, request.req.headers['user-agent']);
  const name = request.name ?? '';
  const { object, warnings } = await decodeRequestObject(request);
  nameToPath(object, name);
  const result =
    request.subresource === 'status'
      ? await request.registry.updateStatus(request.namespace, name, object, options)
      : await request.registry.update(request.namespace, name, object, options);
  setWarnings(request.res, [...warnings, ...result.warnings]);
  writeBody(request.res, 200, result.object, format.encoding);
}
