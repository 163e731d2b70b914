/**
 * Names Kubernetes gives its OpenAPI definitions ("io.k8s.api.apps.v1.Deployment"), for
 * client-node models whose names only carry the version ("V1DeploymentSpec"). A model's
 * package is the group of the first served kind that reaches it, walking core kinds first,
 * unless the model's own name names its group ("CoreV1Event") or it is an apimachinery type.
 */
import { RESOURCES, type ResourceInfo } from '../resources.js';
import { modelAttributes } from './models.js';
import { parseTypeExpression, type TypeNode } from './type-expression.js';

/** Types defined in k8s.io/apimachinery/pkg/apis/meta/v1. */
const META_V1_TYPES = new Set([
  'ObjectMeta',
  'ListMeta',
  'LabelSelector',
  'LabelSelectorRequirement',
  'OwnerReference',
  'ManagedFieldsEntry',
  'Status',
  'StatusDetails',
  'StatusCause',
  'DeleteOptions',
  'Preconditions',
  'Condition',
  'WatchEvent',
  'APIResource',
  'APIResourceList',
  'APIGroup',
  'APIGroupList',
  'APIVersions',
  'GroupVersionForDiscovery',
  'ServerAddressByClientCIDR',
]);

/** client-node's group prefixes ("Core" in "CoreV1Event") to Kubernetes' package names. */
const GROUP_PREFIXES: Record<string, string> = {
  Core: 'core',
  Apps: 'apps',
  Events: 'events',
  Discovery: 'discovery',
  Storage: 'storage',
  Authentication: 'authentication',
  Rbac: 'rbac',
  Flowcontrol: 'flowcontrol',
  Resource: 'resource',
  Admissionregistration: 'admissionregistration',
  Apiextensions: 'apiextensions',
  Apiregistration: 'apiregistration',
};

const MODEL_NAME = /^([A-Z][a-z]+)?V(\d+(?:alpha\d+|beta\d+)?)([A-Z]\w*)$/;

interface ParsedModelName {
  groupPrefix?: string;
  version: string;
  typeName: string;
}

function parseModelName(modelName: string): ParsedModelName | undefined {
  const match = MODEL_NAME.exec(modelName);
  if (!match) return undefined;
  return { groupPrefix: match[1], version: `v${match[2]}`, typeName: match[3] };
}

/** "apps" for "apps", "coordination" for "coordination.k8s.io", "core" for "". */
function packageOfGroup(group: string): string {
  if (group === '') return 'core';
  return group.split('.')[0];
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** The client-node model of a served kind: "V1Deployment", "CoreV1Event". */
export function modelNameOf(info: Pick<ResourceInfo, 'group' | 'version' | 'kind'>): string | undefined {
  const version = capitalize(info.version);
  const pkg = packageOfGroup(info.group);
  const candidates = [`${capitalize(pkg)}${version}${info.kind}`, `${version}${info.kind}`];
  return candidates.find((name) => modelAttributes(name) !== undefined);
}

/** Kinds that are not served but name the packages of types they share (PodTemplateSpec). */
const NAMING_ONLY_ROOTS = [
  { group: '', version: 'v1', kind: 'PodTemplate' },
  { group: 'autoscaling', version: 'v1', kind: 'Scale' },
];

function modelsIn(node: TypeNode): string[] {
  switch (node.kind) {
    case 'model':
      return [node.name];
    case 'array':
      return modelsIn(node.items);
    case 'map':
      return modelsIn(node.values);
    default:
      return [];
  }
}

function assignPackages(): Map<string, string> {
  const packages = new Map<string, string>();
  const roots = [...RESOURCES, ...NAMING_ONLY_ROOTS].sort((a, b) => Number(a.group !== '') - Number(b.group !== ''));
  for (const root of roots) {
    const rootModel = modelNameOf(root);
    if (!rootModel) continue;
    const pkg = packageOfGroup(root.group);
    const pending = [rootModel];
    while (pending.length > 0) {
      const model = pending.pop() as string;
      if (packages.has(model)) continue;
      packages.set(model, pkg);
      for (const attribute of modelAttributes(model) ?? []) {
        pending.push(...modelsIn(parseTypeExpression(attribute.type, attribute.format)));
      }
    }
  }
  return packages;
}

let packagesByModel: Map<string, string> | undefined;

/** "io.k8s.api.apps.v1.DeploymentSpec" for "V1DeploymentSpec". */
export function definitionName(modelName: string): string {
  const parsed = parseModelName(modelName);
  if (!parsed) return modelName;
  if (META_V1_TYPES.has(parsed.typeName)) return `io.k8s.apimachinery.pkg.apis.meta.v1.${parsed.typeName}`;
  packagesByModel ??= assignPackages();
  const pkg = (parsed.groupPrefix && GROUP_PREFIXES[parsed.groupPrefix]) ?? packagesByModel.get(modelName) ?? 'core';
  return `io.k8s.api.${pkg}.${parsed.version}.${parsed.typeName}`;
}
