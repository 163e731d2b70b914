export type * from './types.js';
export { StatusError, toStatusError, isStatusError, fieldCause } from './errors.js';
export type { StatusReason, ResourceRef, StatusErrorDetails, FieldCauseType } from './errors.js';
export { RESOURCES, SERVED_VERBS, apiVersionOf, findResource, findKind } from './resources.js';
export type { ResourceInfo, Verb } from './resources.js';
