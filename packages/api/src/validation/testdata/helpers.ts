/** Test helpers: defaults then validation, as the registry runs them on create and update. */
import { applyDefaults } from '../../defaults/apply-defaults.js';
import type { ResourceInfo } from '../../resources.js';
import { findKind } from '../../resources.js';
import type { KubeObject, StatusCause } from '../../types.js';
import { validateCreate, validateUpdate } from '../validate.js';

export function infoOf(object: KubeObject): ResourceInfo {
  const info = findKind(object.apiVersion ?? '', object.kind ?? '');
  if (!info) throw new Error(`no resource for ${object.apiVersion} ${object.kind}`);
  return info;
}

export function createCauses(object: KubeObject): StatusCause[] {
  const info = infoOf(object);
  applyDefaults(info, object);
  return validateCreate(info, object);
}

export function updateCauses(object: KubeObject, old: KubeObject): StatusCause[] {
  const info = infoOf(object);
  applyDefaults(info, old);
  applyDefaults(info, object);
  return validateUpdate(info, object, old);
}

/** The causes as "field: reason" lines, the easiest form to compare. */
export function summary(causes: StatusCause[]): string[] {
  return causes.map((c) => `${c.field}: ${c.reason}`);
}
