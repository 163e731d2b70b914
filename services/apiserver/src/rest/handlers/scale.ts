/**
 * The scale subresource (autoscaling/v1 Scale) of deployments, replica sets and stateful
 * sets, served by the registry's ScaleSubresource. PATCH (what `kubectl scale` sends) is
 * applied here to the current Scale; unless the patch names another resourceVersion the
 * write is unconditional, so the registry re-applies it over concurrent changes.
 */
import { type Scale, StatusError } from '@tkube/api';
import type { ScaleSubresource } from '../../registry/types.js';
import { bodyEncoding, decodeBody } from '../decode.js';
import { negotiateResource } from '../negotiation.js';
import { patchTypeOf } from '../patch-body.js';
import { writeOptions } from '../query-options.js';
import { readBody } from '../request-body.js';
import type { ResourceRequest } from '../resource-request.js';
import { setWarnings, writeBody } from '../response.js';
import { jsonPatch, mergePatch } from '../scale-patch.js';

function scaleOf(request: ResourceRequest): ScaleSubresource {
  if (!request.registry.scale) throw StatusError.pathNotFound();
  return request.registry.scale;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export async function getScale(request: ResourceRequest): Promise<void> {
  const format = negotiateResource(request.req.headers.accept);
  const scale = await scaleOf(request).get(request.namespace, request.name ?? '');
  writeBody(request.res, 200, scale, format.encoding);
}

async function writeScale(request: ResourceRequest, scale: Scale): Promise<void> {
  const format = negotiateResource(request.req.headers.accept);
  const options = writeOptions(request.query, request.req.headers['user-agent']);
  const result = await scaleOf(request).update(request.namespace, request.name ?? '', scale, options);
  setWarnings(request.res, result.warnings);
  writeBody(request.res, 200, result.object, format.encoding);
}

export async function updateScale(request: ResourceRequest): Promise<void> {
  scaleOf(request);
  const body = await readBody(request.req, request.maxBodyBytes);
  const { value } = decodeBody(body, bodyEncoding(request.req.headers['content-type']), 'Scale');
  if (!isObject(value)) throw StatusError.badRequest('the object provided is unrecognized (must be of type Scale)');
  const apiVersion = value.apiVersion ?? 'autoscaling/v1';
  if (apiVersion !== 'autoscaling/v1' || (value.kind ?? 'Scale') !== 'Scale') {
    throw StatusError.badRequest(
      `the API version in the data (${String(apiVersion)}) does not match the expected API version (autoscaling/v1)`,
    );
  }
  const scale = value as Scale;
  scale.metadata = isObject(scale.metadata) ? scale.metadata : {};
  scale.metadata.name ??= request.name;
  await writeScale(request, scale);
}

export async function patchScale(request: ResourceRequest): Promise<void> {
  const type = patchTypeOf(request.req.headers['content-type']);
  if (type === 'apply') {
    throw new StatusError(
      415,
      'UnsupportedMediaType',
      'server-side apply (application/apply-patch+yaml) of the scale subresource is not supported by tkube yet; apply to the object itself',
    );
  }
  const body = await readBody(request.req, request.maxBodyBytes);
  const { value } = decodeBody(body, 'json', 'patch');
  const current = await scaleOf(request).get(request.namespace, request.name ?? '');
  let patched: unknown;
  if (type === 'json') {
    if (!Array.isArray(value) || !value.every(isObject)) {
      throw StatusError.badRequest('json: cannot unmarshal object into Go value of type jsonpatch.Patch');
    }
    patched = jsonPatch(current, value);
  } else {
    if (!isObject(value))
      throw StatusError.badRequest('json: cannot unmarshal array into Go value of type map[string]interface {}');
    patched = mergePatch(current, value);
  }
  if (!isObject(patched)) throw StatusError.badRequest('the patched Scale is not an object');
  const scale = patched as Scale;
  scale.metadata = isObject(scale.metadata) ? scale.metadata : {};
  // The version read above is not a client precondition: only a changed one is.
  if (scale.metadata.resourceVersion === current.metadata?.resourceVersion) delete scale.metadata.resourceVersion;
  await writeScale(request, scale);
}
