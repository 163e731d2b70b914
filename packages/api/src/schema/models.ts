/**
 * The runtime model metadata of @kubernetes/client-node: each generated model class carries
 * `attributeTypeMap`, the field list of the Kubernetes OpenAPI definition it was generated
 * from. tkube derives its schemas (OpenAPI documents, unknown-field checks) from it, so the
 * field set is Kubernetes' own without a hand-written copy.
 */
import * as k8s from '@kubernetes/client-node';

export interface ModelAttribute {
  /** The TypeScript property name (`_default` for `default`). */
  name: string;
  /** The JSON field name. */
  baseName: string;
  /** A type expression: 'string', 'Array<V1Container>', '{ [key: string]: string; }', ... */
  type: string;
  format: string;
}

const models = new Map<string, readonly ModelAttribute[]>();
for (const [name, value] of Object.entries(k8s)) {
  if (typeof value !== 'function') continue;
  const typeMap: unknown = (value as { attributeTypeMap?: unknown }).attributeTypeMap;
  if (Array.isArray(typeMap)) models.set(name, typeMap as ModelAttribute[]);
}

/** The fields of a client-node model ("V1Deployment"), or undefined if there is no such model. */
export function modelAttributes(modelName: string): readonly ModelAttribute[] | undefined {
  return models.get(modelName);
}

export function hasModel(modelName: string): boolean {
  return models.has(modelName);
}
