/**
 * Namespaces: created Active with the "kubernetes" finalizer in spec.finalizers. A delete
 * does not remove a namespace: it marks it Terminating (deletionTimestamp set) and the
 * namespace controller empties it, removes its spec finalizer through the finalize
 * subresource, and deletes it again; only then does it go.
 */
import type { KubeObject, ResourceInfo } from '@tkube/api';
import { copyObject, ensureObjectField, isBeingDeleted, metaOf, objectField, rfc3339 } from '../object-meta.js';
import { conflict, forbidden } from '../registry-errors.js';
import { defaultStrategy, type ResourceStrategy } from '../strategy.js';

export const KUBERNETES_FINALIZER = 'kubernetes';

/** Namespaces the NamespaceLifecycle admission plugin never lets anyone delete. */
const IMMORTAL_NAMESPACES = new Set(['default', 'kube-system', 'kube-public']);

export function namespaceStrategy(info: ResourceInfo): ResourceStrategy {
  const base = defaultStrategy(info);
  return {
    ...base,
    prepareForCreate(object) {
      object.status = { phase: 'Active' };
      const spec = ensureObjectField(object, 'spec');
      const finalizers = Array.isArray(spec.finalizers) ? (spec.finalizers as string[]) : [];
      if (!finalizers.includes(KUBERNETES_FINALIZER)) finalizers.push(KUBERNETES_FINALIZER);
      spec.finalizers = finalizers;
    },
    prepareForUpdate(object, old) {
      base.prepareForUpdate(object, old);
      // spec.finalizers changes only through the finalize subresource.
      const oldFinalizers = objectField(old, 'spec')?.finalizers;
      const spec = ensureObjectField(object, 'spec');
      if (oldFinalizers === undefined) delete spec.finalizers;
      else spec.finalizers = copyObject(oldFinalizers);
    },
    beforeDelete(existing, now) {
      const name = metaOf(existing).name ?? '';
      if (IMMORTAL_NAMESPACES.has(name)) throw forbidden(info, name, 'this namespace may not be deleted');
      if (!isBeingDeleted(existing)) {
        const marked = copyObject(existing);
        metaOf(marked).deletionTimestamp = rfc3339(now);
        ensureObjectField(marked, 'status').phase = 'Terminating';
        return marked;
      }
      if (specFinalizers(existing).length > 0) {
        throw conflict(
          info,
          name,
          'The system is ensuring all content is removed from this namespace.  Upon completion, this namespace will automatically be purged by the system.',
        );
      }
      return undefined;
    },
    canDeleteDuringUpdate(object) {
      return specFinalizers(object).length === 0;
    },
  };
}

/** PUT namespaces/{name}/finalize: the stored namespace with the body's spec.finalizers. */
export function finalizeUpdate(body: KubeObject, old: KubeObject): KubeObject {
  const next = copyObject(old);
  const spec = ensureObjectField(next, 'spec');
  const wanted = objectField(body, 'spec')?.finalizers;
  if (Array.isArray(wanted) && wanted.length > 0) spec.finalizers = copyObject(wanted);
  else delete spec.finalizers;
  return next;
}

export function specFinalizers(object: KubeObject): string[] {
  const finalizers = objectField(object, 'spec')?.finalizers;
  return Array.isArray(finalizers) ? (finalizers as string[]) : [];
}

export function isTerminating(namespace: KubeObject): boolean {
  return isBeingDeleted(namespace) || objectField(namespace, 'status')?.phase === 'Terminating';
}
