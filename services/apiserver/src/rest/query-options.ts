/**
 * Query parameters of the Kubernetes REST API, validated as kube-apiserver does and turned
 * into the registry's option types.
 */
import { type DeleteOptions, fieldCause, StatusError } from '@tkube/api';
import type { ListOptions, WatchOptions, WriteOptions } from '../registry/types.js';

export type FieldValidation = 'Strict' | 'Warn' | 'Ignore';

function invalidParameter(name: string, value: string, message: string): StatusError {
  return StatusError.badRequest(`invalid value for query parameter ${name} ${JSON.stringify(value)}: ${message}`);
}

function optionalString(query: URLSearchParams, name: string): string | undefined {
  const value = query.get(name);
  return value === null || value === '' ? undefined : value;
}

function nonNegativeInteger(query: URLSearchParams, name: string): number | undefined {
  const value = query.get(name);
  if (value === null || value === '') return undefined;
  if (!/^\d{1,15}$/.test(value)) throw invalidParameter(name, value, 'must be a non-negative integer');
  return Number(value);
}

function integer(query: URLSearchParams, name: string): number | undefined {
  const value = query.get(name);
  if (value === null || value === '') return undefined;
  if (!/^-?\d{1,15}$/.test(value)) throw invalidParameter(name, value, 'must be an integer');
  return Number(value);
}

function flag(query: URLSearchParams, name: string): boolean {
  const value = query.get(name);
  if (value === null || value === '' || value === 'false' || value === '0') return false;
  if (value === 'true' || value === '1') return true;
  throw invalidParameter(name, value, 'must be a boolean');
}

export function isWatch(query: URLSearchParams): boolean {
  return flag(query, 'watch');
}

function resourceVersionMatch(query: URLSearchParams): void {
  const match = optionalString(query, 'resourceVersionMatch');
  if (match === undefined) return;
  if (match !== 'NotOlderThan' && match !== 'Exact') {
    throw StatusError.invalid('ListOptions', '', [
      fieldCause(
        'FieldValueNotSupported',
        'resourceVersionMatch',
        `Unsupported value: "${match}": supported values: "Exact", "NotOlderThan"`,
      ),
    ]);
  }
  if (!optionalString(query, 'resourceVersion')) {
    throw StatusError.invalid('ListOptions', '', [
      fieldCause(
        'FieldValueForbidden',
        'resourceVersionMatch',
        'Forbidden: resourceVersionMatch is forbidden unless resourceVersion is provided',
      ),
    ]);
  }
}

export function listOptions(query: URLSearchParams): ListOptions {
  resourceVersionMatch(query);
  const options: ListOptions = {};
  const labelSelector = optionalString(query, 'labelSelector');
  const fieldSelector = optionalString(query, 'fieldSelector');
  const limit = nonNegativeInteger(query, 'limit');
  const token = optionalString(query, 'continue');
  const resourceVersion = query.get('resourceVersion');
  if (labelSelector !== undefined) options.labelSelector = labelSelector;
  if (fieldSelector !== undefined) options.fieldSelector = fieldSelector;
  if (limit !== undefined && limit > 0) options.limit = limit;
  if (token !== undefined) options.continue = token;
  if (resourceVersion !== null) options.resourceVersion = resourceVersion;
  return options;
}

export function watchOptions(query: URLSearchParams): WatchOptions {
  if (flag(query, 'sendInitialEvents')) {
    // Without the WatchList feature, as in kube-apiserver; client-go falls back to list+watch.
    throw StatusError.invalid('ListOptions', '', [
      fieldCause(
        'FieldValueForbidden',
        'sendInitialEvents',
        'Forbidden: sendInitialEvents is forbidden for watch unless the WatchList feature gate is enabled',
      ),
    ]);
  }
  const options: WatchOptions = {};
  const labelSelector = optionalString(query, 'labelSelector');
  const fieldSelector = optionalString(query, 'fieldSelector');
  const resourceVersion = optionalString(query, 'resourceVersion');
  if (labelSelector !== undefined) options.labelSelector = labelSelector;
  if (fieldSelector !== undefined) options.fieldSelector = fieldSelector;
  if (resourceVersion !== undefined) options.resourceVersion = resourceVersion;
  if (flag(query, 'allowWatchBookmarks')) options.allowWatchBookmarks = true;
  return options;
}

/** timeoutSeconds of a watch; kube's default is a random 30-60 minutes so watches spread out. */
export function watchTimeoutSeconds(query: URLSearchParams, random: () => number = Math.random): number {
  const timeout = nonNegativeInteger(query, 'timeoutSeconds');
  if (timeout !== undefined && timeout > 0) return timeout;
  return Math.floor(1800 * (1 + random()));
}

function dryRun(query: URLSearchParams): boolean {
  const values = query.getAll('dryRun').filter((value) => value !== '');
  for (const value of values) {
    if (value !== 'All') {
      throw StatusError.invalid('DryRun', '', [
        fieldCause('FieldValueNotSupported', 'dryRun', `Unsupported value: "${value}": supported values: "All"`),
      ]);
    }
  }
  return values.length > 0;
}

export function fieldValidation(query: URLSearchParams): FieldValidation {
  const value = optionalString(query, 'fieldValidation');
  // kube-apiserver warns by default; kubectl 1.35 asks for Strict explicitly.
  if (value === undefined) return 'Warn';
  if (value === 'Strict' || value === 'Warn' || value === 'Ignore') return value;
  throw StatusError.badRequest(
    `fieldValidation must be one of "Ignore", "Warn", or "Strict", got ${JSON.stringify(value)}`,
  );
}

const FIELD_MANAGER_MAX = 128;

export function writeOptions(query: URLSearchParams, userAgent: string | undefined): WriteOptions {
  const options: WriteOptions = {};
  if (dryRun(query)) options.dryRun = true;
  const manager = optionalString(query, 'fieldManager');
  if (manager !== undefined) {
    if (manager.length > FIELD_MANAGER_MAX) {
      throw StatusError.invalid('PatchOptions', '', [
        fieldCause('FieldValueTooLong', 'fieldManager', `Too long: may not be more than ${FIELD_MANAGER_MAX} bytes`),
      ]);
    }
    options.fieldManager = manager;
  } else if (userAgent) {
    // kube-apiserver names the manager after the client's user agent ("kubectl-client-side-apply").
    options.fieldManager = userAgent.split('/')[0].slice(0, FIELD_MANAGER_MAX);
  }
  return options;
}

const PROPAGATION_POLICIES = new Set(['Orphan', 'Background', 'Foreground']);

/** DeleteOptions from the body when there is one, with query parameters filling the rest. */
export function deleteOptions(query: URLSearchParams, body: unknown): DeleteOptions {
  const options: DeleteOptions = {};
  if (body !== undefined && body !== null) {
    if (typeof body !== 'object' || Array.isArray(body))
      throw StatusError.badRequest('the DeleteOptions in the request body must be an object');
    Object.assign(options, body);
  }
  const grace = integer(query, 'gracePeriodSeconds');
  if (grace !== undefined && options.gracePeriodSeconds === undefined) options.gracePeriodSeconds = grace;
  const policy = optionalString(query, 'propagationPolicy');
  if (policy !== undefined && options.propagationPolicy === undefined) options.propagationPolicy = policy;
  if (query.has('orphanDependents') && options.orphanDependents === undefined)
    options.orphanDependents = flag(query, 'orphanDependents');
  if (dryRun(query)) options.dryRun = ['All'];
  if (
    options.gracePeriodSeconds !== undefined &&
    (typeof options.gracePeriodSeconds !== 'number' || !Number.isInteger(options.gracePeriodSeconds))
  ) {
    throw StatusError.badRequest('gracePeriodSeconds must be an integer');
  }
  if (options.propagationPolicy !== undefined && !PROPAGATION_POLICIES.has(options.propagationPolicy)) {
    throw StatusError.invalid('DeleteOptions', '', [
      fieldCause(
        'FieldValueNotSupported',
        'propagationPolicy',
        `Unsupported value: "${options.propagationPolicy}": supported values: "Foreground", "Background", "Orphan", "nil"`,
      ),
    ]);
  }
  for (const value of options.dryRun ?? []) {
    if (value !== 'All') {
      throw StatusError.invalid('DeleteOptions', '', [
        fieldCause('FieldValueNotSupported', 'dryRun', `Unsupported value: "${value}": supported values: "All"`),
      ]);
    }
  }
  return options;
}
