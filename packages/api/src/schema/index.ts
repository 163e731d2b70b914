export type { FieldCheckOptions, FieldTypeError } from './field-check.js';
export { findTypeErrors, findUnknownFields, pruneUnknownFields } from './field-check.js';
export type { OpenApiSchema, OpenApiVersion } from './openapi-schema.js';
export { componentSchemas, definitionNameOf, schemaFor } from './openapi-schema.js';
