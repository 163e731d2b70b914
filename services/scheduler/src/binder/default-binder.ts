/**
 * DefaultBinder (kube's defaultbinder plugin): binds through the pods/binding subresource,
 * naming the pod's uid so that a pod deleted and re-created under the same name is never
 * bound by mistake.
 */
import type { Binding, KubeObject, Status } from '@tkube/api';
import { toStatusError } from '@tkube/api';
import type { BindPlugin, CycleState, PluginStatus, PodInfo } from '../framework/types.js';

export const DEFAULT_BINDER = 'DefaultBinder';

/** What binding needs of the apiserver: ApiClient fits. */
export interface PodBinder {
  bind(namespace: string, binding: Binding): Promise<Status | KubeObject>;
}

export class DefaultBinder implements BindPlugin {
  readonly name = DEFAULT_BINDER;

  constructor(private readonly client: PodBinder) {}

  async bind(_state: CycleState, pod: PodInfo, nodeName: string): Promise<PluginStatus> {
    const meta = pod.pod.metadata ?? {};
    const binding: Binding = {
      metadata: { name: meta.name, namespace: meta.namespace, uid: meta.uid },
      target: { kind: 'Node', name: nodeName },
    };
    try {
      await this.client.bind(meta.namespace ?? 'default', binding);
      return { code: 'Success', reasons: [] };
    } catch (err) {
      return { code: 'Error', reasons: [toStatusError(err).message] };
    }
  }
}
