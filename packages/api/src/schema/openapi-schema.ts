/**
 * OpenAPI schemas of the served kinds, built from client-node's model metadata and named
 * as Kubernetes names its definitions, so that kubectl (explain, apply's patch builder,
 * field validation checks) reads them as it reads kube-apiserver's documents.
 */
import { RESOURCES, type ResourceInfo } from '../resources.js';
import { definitionName, modelNameOf } from './definition-names.js';
import { modelDocs } from './model-docs.js';
import { modelAttributes } from './models.js';
import { patchStrategyOf } from './patch-strategies.js';
import { parseTypeExpression, type TypeNode } from './type-expression.js';

/** A JSON Schema / OpenAPI schema object, as sent on the wire. */
export type OpenApiSchema = { [keyword: string]: unknown };

/** 'v3': `#/components/schemas/...` references; 'v2': `#/definitions/...`. */
export type OpenApiVersion = 'v2' | 'v3';

function refPrefix(version: OpenApiVersion): string {
  return version === 'v3' ? '#/components/schemas/' : '#/definitions/';
}

interface SchemaContext {
  version: OpenApiVersion;
  /** Models referenced and still to be emitted. */
  pending: string[];
}

function schemaOfType(node: TypeNode, context: SchemaContext): OpenApiSchema {
  switch (node.kind) {
    case 'string':
      return node.format ? { type: 'string', format: node.format } : { type: 'string' };
    case 'integer':
      return { type: 'integer', format: node.format };
    case 'number':
      return node.format ? { type: 'number', format: node.format } : { type: 'number' };
    case 'boolean':
      return { type: 'boolean' };
    case 'date-time':
      return { type: 'string', format: 'date-time' };
    case 'int-or-string':
      return { type: 'string', format: 'int-or-string', 'x-kubernetes-int-or-string': true };
    case 'free-form':
      return { type: 'object', 'x-kubernetes-preserve-unknown-fields': true };
    case 'array':
      return { type: 'array', items: schemaOfType(node.items, context) };
    case 'map':
      return { type: 'object', additionalProperties: schemaOfType(node.values, context) };
    case 'model':
      context.pending.push(node.name);
      return { $ref: `${refPrefix(context.version)}${definitionName(node.name)}` };
  }
}

function withDescription(
  schema: OpenApiSchema,
  description: string | undefined,
  version: OpenApiVersion,
): OpenApiSchema {
  if (!description) return schema;
  // OpenAPI 3 ignores siblings of $ref; Kubernetes wraps the reference in allOf to keep them.
  if (version === 'v3' && '$ref' in schema) return { allOf: [schema], description };
  return { ...schema, description };
}

function gvkExtension(modelName: string): OpenApiSchema {
  const kinds = RESOURCES.filter((info) => modelNameOf(info) === modelName).map((info) => ({
    group: info.group,
    kind: info.kind,
    version: info.version,
  }));
  return kinds.length > 0 ? { 'x-kubernetes-group-version-kind': kinds } : {};
}

function modelSchema(modelName: string, context: SchemaContext): OpenApiSchema {
  const attributes = modelAttributes(modelName) ?? [];
  const docs = modelDocs(modelName, new Map(attributes.map((a) => [a.name, a.baseName])));
  const properties: Record<string, OpenApiSchema> = {};
  for (const attribute of attributes) {
    let property = schemaOfType(parseTypeExpression(attribute.type, attribute.format), context);
    const strategy = patchStrategyOf(modelName, attribute.baseName);
    if (strategy) {
      property = { ...property, 'x-kubernetes-patch-strategy': strategy.strategy };
      if (strategy.mergeKey) property['x-kubernetes-patch-merge-key'] = strategy.mergeKey;
    }
    properties[attribute.baseName] = withDescription(property, docs.fields.get(attribute.baseName), context.version);
  }
  const schema: OpenApiSchema = { type: 'object', properties };
  if (docs.description) schema.description = docs.description;
  if (docs.required.length > 0) schema.required = docs.required;
  return { ...schema, ...gvkExtension(modelName) };
}

/** Every definition reachable from the given kinds, keyed by Kubernetes' definition names. */
export function componentSchemas(
  infos: readonly Pick<ResourceInfo, 'group' | 'version' | 'kind'>[],
  version: OpenApiVersion = 'v3',
): Record<string, OpenApiSchema> {
  const context: SchemaContext = { version, pending: [] };
  for (const info of infos) {
    const model = modelNameOf(info);
    if (model) context.pending.push(model);
  }
  const schemas: Record<string, OpenApiSchema> = {};
  const done = new Set<string>();
  while (context.pending.length > 0) {
    const model = context.pending.pop() as string;
    if (done.has(model)) continue;
    done.add(model);
    schemas[definitionName(model)] = modelSchema(model, context);
  }
  return schemas;
}

/** Kubernetes' definition name of a kind ("io.k8s.api.apps.v1.Deployment"). */
export function definitionNameOf(info: Pick<ResourceInfo, 'group' | 'version' | 'kind'>): string | undefined {
  const model = modelNameOf(info);
  return model ? definitionName(model) : undefined;
}

/** The OpenAPI v3 schema of a kind (its fields reference `#/components/schemas/...`). */
export function schemaFor(info: Pick<ResourceInfo, 'group' | 'version' | 'kind'>): OpenApiSchema | undefined {
  const model = modelNameOf(info);
  return model ? modelSchema(model, { version: 'v3', pending: [] }) : undefined;
}
