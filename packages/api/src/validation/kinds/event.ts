/**
 * core/v1 Event (legacyValidateEvent). For compatibility with old clients Kubernetes checks
 * little of a v1 Event: its namespace against the involved object's, and the reporting fields
 * of the newer event shape when eventTime is set.
 */
import type { Event, KubeObject } from '../../types.js';
import { type ErrorList, invalid, required } from '../field-errors.js';
import { FieldPath } from '../field-path.js';
import { byteLength, dns1123SubdomainErrors } from '../names.js';
import { validateQualifiedName } from '../object-meta.js';

const REPORTING_INSTANCE_LIMIT = 128;
const ACTION_LIMIT = 128;
const REASON_LIMIT = 128;
const NOTE_LIMIT = 1024;

function lengthError(path: FieldPath, value: string | undefined, limit: number): ErrorList {
  return byteLength(value ?? '') > limit ? [invalid(path, '', `can have at most ${limit} characters`)] : [];
}

export function validateEvent(object: KubeObject): ErrorList {
  const event = object as Event;
  const errs: ErrorList = [];
  const namespace = event.metadata?.namespace ?? '';
  const involvedNamespace = event.involvedObject?.namespace ?? '';
  const involvedPath = FieldPath.root('involvedObject', 'namespace');
  if (!event.metadata?.name)
    errs.push(required(FieldPath.root('metadata', 'name'), 'name or generateName is required'));
  if (!event.eventTime) {
    if (!involvedNamespace) {
      if (namespace !== '' && namespace !== 'default')
        errs.push(invalid(involvedPath, involvedNamespace, 'does not match event.namespace'));
    } else if (namespace !== involvedNamespace) {
      errs.push(invalid(involvedPath, involvedNamespace, 'does not match event.namespace'));
    }
  } else {
    if (!involvedNamespace && namespace !== 'default' && namespace !== 'kube-system') {
      errs.push(invalid(involvedPath, involvedNamespace, 'does not match event.namespace'));
    }
    const controller = event.reportingComponent ?? '';
    if (!controller) errs.push(required(FieldPath.root('reportingComponent')));
    errs.push(...validateQualifiedName(controller, FieldPath.root('reportingComponent')));
    if (!event.reportingInstance) errs.push(required(FieldPath.root('reportingInstance')));
    errs.push(...lengthError(FieldPath.root('reportingInstance'), event.reportingInstance, REPORTING_INSTANCE_LIMIT));
    if (!event.action) errs.push(required(FieldPath.root('action')));
    errs.push(...lengthError(FieldPath.root('action'), event.action, ACTION_LIMIT));
    if (!event.reason) errs.push(required(FieldPath.root('reason')));
    errs.push(...lengthError(FieldPath.root('reason'), event.reason, REASON_LIMIT));
    errs.push(...lengthError(FieldPath.root('message'), event.message, NOTE_LIMIT));
  }
  for (const msg of dns1123SubdomainErrors(namespace)) errs.push(invalid(FieldPath.root('namespace'), namespace, msg));
  return errs;
}
