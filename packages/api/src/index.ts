/**
 * `@tkube/api`: the object types, errors, resource catalog, selectors, quantities,
 * defaulting and validation every tkube process shares. Light to load: nothing here loads
 * @kubernetes/client-node at run time (types.ts only borrows its types). The OpenAPI
 * schemas, field checks and patch functions, which do, are the second entry point
 * `@tkube/api/schema` (schema/entry.ts).
 */

export * from './defaults/index.js';
export type { FieldCauseType, ResourceRef, StatusErrorDetails, StatusReason } from './errors.js';
export { fieldCause, isStatusError, StatusError, toStatusError } from './errors.js';
export * from './field-selector.js';
export * as grpcApi from './grpc/index.js';
export * from './label-selector.js';
export * from './quantity.js';
export type * from './request-options.js';
export type { ResourceInfo, Verb } from './resources.js';
export { apiVersionOf, findKind, findResource, RESOURCES, SERVED_VERBS } from './resources.js';
export type * from './types.js';
export * from './validation/index.js';
