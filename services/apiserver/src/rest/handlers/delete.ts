/** DELETE of one object and of a collection (deletecollection). */
import type { KubeObject } from '@tkube/api';
import { bodyEncoding, decodeBody } from '../decode.js';
import { negotiateResource } from '../negotiation.js';
import { deleteOptions, listOptions } from '../query-options.js';
import { readBody } from '../request-body.js';
import type { ResourceRequest } from '../resource-request.js';
import { writeBody } from '../response.js';

async function requestDeleteOptions(request: ResourceRequest) {
  const body = await readBody(request.req, request.maxBodyBytes);
  const decoded =
    body.length > 0 && body.toString('utf8').trim() !== ''
      ? decodeBody(body, bodyEncoding(request.req.headers['content-type']), 'DeleteOptions').value
      : undefined;
  return deleteOptions(request.query, decoded);
}

export async function deleteObject(request: ResourceRequest): Promise<void> {
  const format = negotiateResource(request.req.headers.accept);
  const options = await requestDeleteOptions(request);
  const result = await request.registry.delete(request.namespace, request.name ?? '', options);
  // 202 Accepted while finalizers or a grace period keep the object, as kube-apiserver.
  const pending = result.kind !== 'Status' && (result as KubeObject).metadata?.deletionTimestamp !== undefined;
  writeBody(request.res, pending ? 202 : 200, result, format.encoding);
}

export async function deleteCollection(request: ResourceRequest): Promise<void> {
  const format = negotiateResource(request.req.headers.accept);
  const options = await requestDeleteOptions(request);
  const list = await request.registry.deleteCollection(request.namespace, listOptions(request.query), options);
  writeBody(request.res, 200, list, format.encoding);
}
