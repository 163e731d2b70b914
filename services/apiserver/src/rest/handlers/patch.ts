/** PATCH of an object or of its status subresource. */
import { isStatusError, StatusError } from '@tkube/api';
import { negotiateResource } from '../negotiation.js';
import { checkPatch, patchTypeOf } from '../patch-body.js';
import { fieldValidation, writeOptions } from '../query-options.js';
import { readBody } from '../request-body.js';
import type { ResourceRequest } from '../resource-request.js';
import { setWarnings, writeBody } from '../response.js';

export async function patchObject(request: ResourceRequest): Promise<void> {
  const format = negotiateResource(request.req.headers.accept);
  const type = patchTypeOf(request.req.headers['content-type']);
  const options = writeOptions(request.query, request.req.headers['user-agent']);
  const validation = fieldValidation(request.query);
  const body = await readBody(request.req, request.maxBodyBytes);
  const { patch, warnings } = checkPatch(request.info, type, body, validation);
  const result = await request.registry
    .patch(request.namespace, request.name ?? '', type, patch, {
      ...options,
      ...(request.subresource === 'status' ? { subresource: 'status' as const } : {}),
    })
    .catch((err: unknown) => {
      if (type === 'apply' && isStatusError(err, 'UnsupportedMediaType')) {
        throw new StatusError(
          415,
          'UnsupportedMediaType',
          'server-side apply (application/apply-patch+yaml) is not supported by tkube yet; use client-side apply (kubectl apply without --server-side)',
        );
      }
      throw err;
    });
  setWarnings(request.res, [...warnings, ...result.warnings]);
  writeBody(request.res, 200, result.object, format.encoding);
}
