/**
 * Server-side apply (PATCH with application/apply-patch+yaml). The body is a whole object
 * in YAML or JSON: the configuration a manager (`fieldManager`, required) wants. An object
 * that does not exist yet is created from it (201); one that does gets the configuration's
 * fields merged in as a strategic merge patch merges them (maps field by field, lists of
 * containers, ports, env ... by their keys), and loses the fields this manager's previous
 * configuration set and this one leaves out (200). Which fields a manager set is kept as
 * kube keeps it: its Apply entry in metadata.managedFields (FieldsV1).
 *
 * What tkube leaves out of kube's apply: other writers' fields are not tracked (updates
 * and patches record no managedFields entry), so no conflict is ever reported (`force`
 * changes nothing) and a field dropped from a configuration goes even if another writer
 * changed it since. The status subresource is merged into without ownership.
 */
import { apiVersionOf, fieldCause, isStatusError, type KubeObject, StatusError } from '@tkube/api';
import { appliedFieldSet, applyStrategicMergePatch, type FieldSet, removeDroppedFields } from '@tkube/api/schema';
import { rfc3339 } from '../../registry/object-meta.js';
import type { WriteOptions, WriteResult } from '../../registry/types.js';
import { decodeObject } from '../decode-object.js';
import type { ResponseFormat } from '../negotiation.js';
import type { FieldValidation } from '../query-options.js';
import type { ResourceRequest } from '../resource-request.js';
import { setWarnings, writeBody } from '../response.js';
import { nameToPath, scopeToPath } from './object-scope.js';

/** YAML's parser reads JSON too. */
const APPLY_BODY_TYPE = 'application/yaml';
/** Tries of the read-merge-write when another write comes in between. */
const MAX_ATTEMPTS = 5;

interface ManagedFieldsEntry {
  manager?: string;
  operation?: string;
  apiVersion?: string;
  time?: string;
  fieldsType?: string;
  fieldsV1?: FieldSet;
}

export async function applyObject(
  request: ResourceRequest,
  body: Buffer,
  options: WriteOptions,
  validation: FieldValidation,
  format: ResponseFormat,
): Promise<void> {
  const manager = request.query.get('fieldManager');
  if (!manager) {
    throw StatusError.invalid('PatchOptions', '', [
      fieldCause('FieldValueRequired', 'fieldManager', 'Required value: is required for apply patch'),
    ]);
  }
  const name = request.name ?? '';
  const { object: configuration, warnings } = decodeObject(request.info, body, APPLY_BODY_TYPE, validation);
  scopeToPath(request.info, configuration, request.namespace);
  nameToPath(configuration, name);
  delete configuration.metadata?.managedFields;

  const respond = (status: number, result: WriteResult) => {
    setWarnings(request.res, [...warnings, ...result.warnings]);
    writeBody(request.res, status, result.object, format.encoding);
  };
  if (request.subresource === 'status') {
    const patch = Buffer.from(JSON.stringify(configuration));
    const merged = request.registry.patch(request.namespace, name, 'strategic', patch, {
      ...options,
      subresource: 'status',
    });
    return respond(200, await merged);
  }

  const entry = applyEntry(request, manager, appliedFieldSet(configuration, request.info));
  for (let attempt = 1; ; attempt++) {
    const current = await getIfExists(request, name);
    if (!current) {
      try {
        const withEntry = { ...configuration, metadata: { ...configuration.metadata, managedFields: [entry] } };
        return respond(201, await request.registry.create(request.namespace, withEntry, options));
      } catch (err) {
        // Created meanwhile by someone else: apply to theirs.
        if (isStatusError(err, 'AlreadyExists') && attempt < MAX_ATTEMPTS) continue;
        throw err;
      }
    }
    try {
      const merged = mergeConfiguration(request, current, configuration, manager, entry);
      return respond(200, await request.registry.update(request.namespace, name, merged, options));
    } catch (err) {
      // Written meanwhile: merge again into the new version, unless the configuration itself
      // named the version it applies to (a precondition, as in kube).
      const precondition = configuration.metadata?.resourceVersion;
      if (isStatusError(err, 'Conflict') && !precondition && attempt < MAX_ATTEMPTS) continue;
      throw err;
    }
  }
}

/** The live object with the configuration merged in and what the manager dropped removed. */
function mergeConfiguration(
  request: ResourceRequest,
  current: KubeObject,
  configuration: KubeObject,
  manager: string,
  entry: ManagedFieldsEntry,
): KubeObject {
  const entries = (current.metadata?.managedFields ?? []) as ManagedFieldsEntry[];
  const isMine = (e: ManagedFieldsEntry) => e.manager === manager && e.operation === 'Apply';
  const previous = entries.find(isMine);
  const merged = applyStrategicMergePatch(current, configuration, request.info) as KubeObject;
  if (previous?.fieldsV1) removeDroppedFields(merged, previous.fieldsV1, entry.fieldsV1 ?? {}, request.info);
  // The same fields applied again keep their entry (and its time): an unchanged apply writes nothing.
  const same = previous && JSON.stringify(previous.fieldsV1) === JSON.stringify(entry.fieldsV1);
  merged.metadata = {
    ...merged.metadata,
    managedFields: [...entries.filter((e) => !isMine(e)), same ? previous : entry],
  };
  return merged;
}

function applyEntry(request: ResourceRequest, manager: string, fields: FieldSet): ManagedFieldsEntry {
  return {
    manager,
    operation: 'Apply',
    apiVersion: apiVersionOf(request.info),
    time: rfc3339(new Date()),
    fieldsType: 'FieldsV1',
    fieldsV1: fields,
  };
}

async function getIfExists(request: ResourceRequest, name: string): Promise<KubeObject | undefined> {
  try {
    return await request.registry.get(request.namespace, name);
  } catch (err) {
    if (isStatusError(err, 'NotFound')) return undefined;
    throw err;
  }
}
