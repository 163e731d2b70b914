/** PATCH of an object or of its status subresource; server-side apply is apply.ts's. */
import { negotiateResource } from '../negotiation.js';
import { checkPatch, patchTypeOf } from '../patch-body.js';
import { fieldValidation, writeOptions } from '../query-options.js';
import { readBody } from '../request-body.js';
import type { ResourceRequest } from '../resource-request.js';
import { setWarnings, writeBody } from '../response.js';
import { applyObject } from './apply.js';

export async function patchObject(request: ResourceRequest): Promise<void> {
  const format = negotiateResource(request.req.headers.accept);
  const type = patchTypeOf(request.req.headers['content-type']);
  const options = writeOptions(request.query, request.req.headers['user-agent']);
  const validation = fieldValidation(request.query);
  const body = await readBody(request.req, request.maxBodyBytes);
  if (type === 'apply') return applyObject(request, body, options, validation, format);
  const { patch, warnings } = checkPatch(request.info, type, body, validation);
  const result = await request.registry.patch(request.namespace, request.name ?? '', type, patch, {
    ...options,
    ...(request.subresource === 'status' ? { subresource: 'status' as const } : {}),
  });
  setWarnings(request.res, [...warnings, ...result.warnings]);
  writeBody(request.res, 200, result.object, format.encoding);
}
