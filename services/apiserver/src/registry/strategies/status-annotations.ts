/**
 * The status subresource of Deployments and ReplicaSets: kube's status strategies for these
 * kinds keep only the old spec and labels, so annotations travel with a status write. The
 * deployment controller relies on that to record its revision annotation in the same write
 * as the status, without a main-resource write that would bump metadata.generation.
 */
import type { KubeObject } from '@tkube/api';
import { copyObject, metaOf } from '../object-meta.js';
import type { ResourceStrategy } from '../strategy.js';

export function takingAnnotationsOnStatus(base: ResourceStrategy): ResourceStrategy {
  return {
    ...base,
    statusUpdate(body: KubeObject, old: KubeObject): KubeObject {
      const next = base.statusUpdate(body, old);
      const annotations = body.metadata?.annotations;
      const meta = metaOf(next);
      if (annotations === undefined) delete meta.annotations;
      else meta.annotations = copyObject(annotations);
      return next;
    },
  };
}
