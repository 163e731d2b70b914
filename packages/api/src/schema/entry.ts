/**
 * `@tkube/api/schema`: what needs the Kubernetes model metadata at run time. The OpenAPI
 * schemas, the field checks and the patch functions are built from the model classes of
 * @kubernetes/client-node (~0.5 s and tens of MB to load), which only the apiserver needs;
 * the main entry `@tkube/api` stays free of them so that every other process starts fast.
 * (The patch functions live here because strategic merge patch walks the same models.)
 */
export type { FieldSet } from '../patch/applied-fields.js';
export { appliedFieldSet, removeDroppedFields } from '../patch/applied-fields.js';
export { applyJsonPatch } from '../patch/json-patch.js';
export { applyMergePatch } from '../patch/merge-patch.js';
export { applyStrategicMergePatch } from '../patch/strategic-merge-patch.js';
export type { FieldCheckOptions, FieldTypeError } from './field-check.js';
export { findTypeErrors, findUnknownFields, pruneUnknownFields } from './field-check.js';
export type { OpenApiSchema, OpenApiVersion } from './openapi-schema.js';
export { componentSchemas, definitionNameOf, schemaFor } from './openapi-schema.js';
