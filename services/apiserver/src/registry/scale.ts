/**
 * The scale subresource of deployments, replicasets and statefulsets: an autoscaling/v1
 * Scale view of spec.replicas, status.replicas and the selector. Writing it changes only
 * spec.replicas, through the resource's own update path (same preconditions, generation).
 */
import { fieldCause, type KubeObject, type LabelSelector, type Scale, StatusError } from '@tkube/api';
import { copyObject, ensureObjectField, metaOf, objectField } from './object-meta.js';
import type { ScaleSubresource, WriteOptions, WriteResult } from './types.js';

export interface ScaleTarget {
  get(namespace: string | undefined, name: string): Promise<KubeObject>;
  update(
    namespace: string | undefined,
    name: string,
    build: (old: KubeObject) => KubeObject,
    options: WriteOptions,
  ): Promise<WriteResult>;
}

export function scaleSubresource(target: ScaleTarget): ScaleSubresource {
  return {
    async get(namespace, name) {
      return scaleOf(await target.get(namespace, name));
    },
    async update(namespace, name, scale, options): Promise<WriteResult<Scale>> {
      const replicas = scale.spec?.replicas ?? 0;
      if ((scale.metadata?.name ?? '') !== name) {
        throw StatusError.badRequest(
          `the name of the object (${scale.metadata?.name ?? ''}) does not match the name on the URL (${name})`,
        );
      }
      if (!Number.isInteger(replicas) || replicas < 0) {
        throw StatusError.invalid(
          'Scale',
          name,
          [
            fieldCause(
              'FieldValueInvalid',
              'spec.replicas',
              `Invalid value: ${replicas}: must be greater than or equal to 0`,
            ),
          ],
          'autoscaling',
        );
      }
      const result = await target.update(
        namespace,
        name,
        (old) => {
          const next = copyObject(old);
          ensureObjectField(next, 'spec').replicas = replicas;
          const version = scale.metadata?.resourceVersion;
          if (version) metaOf(next).resourceVersion = version;
          else delete metaOf(next).resourceVersion;
          return next;
        },
        options,
      );
      return { object: scaleOf(result.object), warnings: result.warnings };
    },
  };
}

export function scaleOf(object: KubeObject): Scale {
  const meta = object.metadata ?? {};
  const spec = objectField(object, 'spec') ?? {};
  const status = objectField(object, 'status') ?? {};
  const scaleMeta: NonNullable<Scale['metadata']> = { name: meta.name };
  if (meta.namespace) scaleMeta.namespace = meta.namespace;
  if (meta.uid) scaleMeta.uid = meta.uid;
  if (meta.resourceVersion) scaleMeta.resourceVersion = meta.resourceVersion;
  if (meta.creationTimestamp) scaleMeta.creationTimestamp = meta.creationTimestamp;
  const scale: Scale = {
    apiVersion: 'autoscaling/v1',
    kind: 'Scale',
    metadata: scaleMeta,
    spec: { replicas: typeof spec.replicas === 'number' ? spec.replicas : 0 },
    status: { replicas: typeof status.replicas === 'number' ? status.replicas : 0 },
  };
  const selector = formatLabelSelector(spec.selector as LabelSelector | undefined);
  if (selector && scale.status) scale.status.selector = selector;
  return scale;
}

/** metav1.FormatLabelSelector: requirements sorted by key, in selector syntax. */
export function formatLabelSelector(selector: LabelSelector | undefined): string {
  if (!selector) return '';
  const requirements: Array<[string, string]> = [];
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) requirements.push([key, `${key}=${value}`]);
  for (const expression of selector.matchExpressions ?? []) {
    const values = [...(expression.values ?? [])].sort().join(',');
    const key = expression.key;
    switch (expression.operator) {
      case 'In':
        requirements.push([key, `${key} in (${values})`]);
        break;
      case 'NotIn':
        requirements.push([key, `${key} notin (${values})`]);
        break;
      case 'Exists':
        requirements.push([key, key]);
        break;
      case 'DoesNotExist':
        requirements.push([key, `!${key}`]);
        break;
    }
  }
  return requirements
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .map(([, text]) => text)
    .join(',');
}
