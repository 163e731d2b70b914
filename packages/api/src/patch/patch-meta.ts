/**
 * Where strategic merge patch finds its strategy, as apimachinery's PatchMetaFromStruct
 * does: it walks the kind's model types (client-node's attributeTypeMap, see
 * schema/models.ts) from the kind's model down (V1Deployment, then V1DeploymentSpec,
 * V1PodTemplateSpec, V1PodSpec, V1Container, ...), and reads each field's `patchStrategy`
 * and `patchMergeKey` from the one table of them, schema/patch-strategies.ts, which the
 * OpenAPI documents read too.
 *
 * A field without tags merges if it is an object and is replaced if it is a list; a field
 * the model does not have, or a free-form value, has no metadata below it. `retainKeys`
 * strategies change nothing here: the `$retainKeys` directive a patch carries is honoured
 * wherever it appears.
 */
import type { ResourceInfo } from '../resources.js';
import { modelNameOf } from '../schema/definition-names.js';
import { modelAttributes } from '../schema/models.js';
import { type PatchStrategy, patchStrategyOf } from '../schema/patch-strategies.js';
import { parseTypeExpression, type TypeNode } from '../schema/type-expression.js';

export interface FieldPatchMeta {
  /** "merge": lists merge (by mergeKey when their items are objects, as a set otherwise). */
  readonly listStrategy: 'merge' | 'replace';
  readonly mergeKey?: string;
  /** The fields of the value, or of each item when the value is a list. */
  readonly fields?: StructPatchMeta;
}

/** The fields of an object, looked up one at a time as the merge descends. */
export interface StructPatchMeta {
  field(jsonField: string): FieldPatchMeta | undefined;
}

function fieldMeta(type: TypeNode, strategy: PatchStrategy | undefined): FieldPatchMeta {
  const merges = strategy?.strategy.split(',').includes('merge') ?? false;
  return {
    listStrategy: merges ? 'merge' : 'replace',
    mergeKey: strategy?.mergeKey,
    fields: structOf(type.kind === 'array' ? type.items : type),
  };
}

/** The fields of an object of this type; undefined for anything without fields to look up. */
function structOf(type: TypeNode): StructPatchMeta | undefined {
  if (type.kind === 'model') return modelStruct(type.name);
  // A map's keys are not fields: every value has the map's value type, without tags.
  if (type.kind === 'map') {
    const values = fieldMeta(type.values, undefined);
    return { field: () => values };
  }
  return undefined;
}

/**
 * A model's fields, built on first lookup: models refer to each other (and, as
 * JSONSchemaProps, to themselves), so a model's children are only named, not built, until
 * a patch reaches them.
 */
class ModelPatchMeta implements StructPatchMeta {
  #fields: Map<string, FieldPatchMeta> | undefined;

  constructor(private readonly modelName: string) {}

  field(jsonField: string): FieldPatchMeta | undefined {
    this.#fields ??= this.#build();
    return this.#fields.get(jsonField);
  }

  #build(): Map<string, FieldPatchMeta> {
    const fields = new Map<string, FieldPatchMeta>();
    for (const attribute of modelAttributes(this.modelName) ?? []) {
      const type = parseTypeExpression(attribute.type, attribute.format);
      fields.set(attribute.baseName, fieldMeta(type, patchStrategyOf(this.modelName, attribute.baseName)));
    }
    return fields;
  }
}

const modelStructs = new Map<string, StructPatchMeta>();

function modelStruct(modelName: string): StructPatchMeta {
  let struct = modelStructs.get(modelName);
  if (!struct) {
    struct = new ModelPatchMeta(modelName);
    modelStructs.set(modelName, struct);
  }
  return struct;
}

/** A kind without a model still has ObjectMeta's tags (finalizers, ownerReferences). */
const METADATA_ONLY = modelStruct('V1ObjectMeta');
const WITHOUT_MODEL: StructPatchMeta = {
  field: (jsonField) => (jsonField === 'metadata' ? { listStrategy: 'replace', fields: METADATA_ONLY } : undefined),
};

/** The patch meta of a kind's objects, from its model ("V1Deployment" for apps/v1 Deployment). */
export function patchMetaFor(info: Pick<ResourceInfo, 'group' | 'version' | 'kind'>): StructPatchMeta {
  const model = modelNameOf(info);
  return model ? modelStruct(model) : WITHOUT_MODEL;
}
