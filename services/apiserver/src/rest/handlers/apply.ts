/**
 * Server-side apply (PATCH with application/apply-patch+yaml), without field ownership: the
 * body is a whole object in YAML or JSON (the configuration the manager wants); an object
 * that does not exist yet is created from it (201), one that does gets the configuration's
 * fields merged in as a strategic merge patch merges them (200): maps field by field, lists
 * of containers, ports, volumes ... by their keys. What tkube leaves out of kube's apply:
 * fields the configuration no longer names stay (kube removes those the manager owned
 * alone), no conflict with another manager is ever reported (so `force` changes nothing),
 * and objects carry no managedFields. Enough for `kubectl apply --server-side` and for
 * helm 4, which installs and upgrades with server-side apply.
 */
import { fieldCause, isStatusError, StatusError } from '@tkube/api';
import type { WriteOptions } from '../../registry/types.js';
import { decodeObject } from '../decode-object.js';
import type { ResponseFormat } from '../negotiation.js';
import type { FieldValidation } from '../query-options.js';
import type { ResourceRequest } from '../resource-request.js';
import { setWarnings, writeBody } from '../response.js';
import { nameToPath, scopeToPath } from './object-scope.js';

/** How kube names the body's format in decode errors; YAML's parser reads JSON too. */
const APPLY_BODY_TYPE = 'application/yaml';

export async function applyObject(
  request: ResourceRequest,
  body: Buffer,
  options: WriteOptions,
  validation: FieldValidation,
  format: ResponseFormat,
): Promise<void> {
  if (!request.query.get('fieldManager')) {
    throw StatusError.invalid('PatchOptions', '', [
      fieldCause('FieldValueRequired', 'fieldManager', 'Required value: is required for apply patch'),
    ]);
  }
  const name = request.name ?? '';
  const { object, warnings } = decodeObject(request.info, body, APPLY_BODY_TYPE, validation);
  scopeToPath(request.info, object, request.namespace);
  nameToPath(object, name);
  const subresource = request.subresource === 'status' ? { subresource: 'status' as const } : {};

  if (!subresource.subresource && !(await exists(request, name))) {
    try {
      const created = await request.registry.create(request.namespace, object, options);
      setWarnings(request.res, [...warnings, ...created.warnings]);
      writeBody(request.res, 201, created.object, format.encoding);
      return;
    } catch (err) {
      // Created meanwhile by someone else: apply to theirs.
      if (!isStatusError(err, 'AlreadyExists')) throw err;
    }
  }
  const patch = Buffer.from(JSON.stringify(object));
  const result = await request.registry.patch(request.namespace, name, 'strategic', patch, {
    ...options,
    ...subresource,
  });
  setWarnings(request.res, [...warnings, ...result.warnings]);
  writeBody(request.res, 200, result.object, format.encoding);
}

async function exists(request: ResourceRequest, name: string): Promise<boolean> {
  try {
    await request.registry.get(request.namespace, name);
    return true;
  } catch (err) {
    if (isStatusError(err, 'NotFound')) return false;
    throw err;
  }
}
