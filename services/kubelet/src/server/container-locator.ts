/**
 * Finds the container a logs, exec or attach request names, with kube's messages when it
 * cannot: the pod must be on this node, the container named (or the pod's only one), and
 * created at least once; `previous` asks for the instance before the current one.
 */
import { join } from 'node:path';
import type { Pod } from '@tkube/api';
import { StatusError } from '@tkube/api';
import { ContainerState } from '@tkube/api/cri';
import type { NetworkStore } from '../network/network-store.js';
import { containerLogPath, type PodDirs } from '../pods/pod-dirs.js';
import { type ContainerRuntimeStatus, readPodRuntimeStatus } from '../runtime/pod-runtime-status.js';
import type { RuntimeService } from '../runtime/runtime-services.js';
import type { ContainerLocator, LocatedContainer, StreamOptions } from './kubelet-server.js';

export interface LocatorDeps {
  runtime: RuntimeService;
  dirs: PodDirs;
  networkStore: NetworkStore;
  podByName(namespace: string, name: string): Pod | undefined;
}

export function containerLocator(deps: LocatorDeps): ContainerLocator {
  const runtimeOf = (uid: string) =>
    readPodRuntimeStatus(deps.runtime, uid, (podUid, sandboxId) => deps.networkStore.get(podUid, sandboxId));
  const logPathOf = (pod: Pod, c: ContainerRuntimeStatus) =>
    join(deps.dirs.logDirOf(pod), containerLogPath(c.name, c.restartCount));

  return {
    async locate(namespace, podName, containerName, previous): Promise<LocatedContainer> {
      const pod = deps.podByName(namespace, podName);
      if (!pod) throw StatusError.notFound({ group: '', resource: 'pods', name: podName });
      const specs = [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])];
      const name = containerName ?? (pod.spec?.containers.length === 1 ? pod.spec.containers[0]?.name : undefined);
      if (!name) {
        const names = (pod.spec?.containers ?? []).map((c) => c.name).join(' ');
        throw StatusError.badRequest(
          `a container name must be specified for pod ${podName}, choose one of: [${names}]`,
        );
      }
      if (!specs.some((c) => c.name === name)) {
        throw StatusError.badRequest(`container ${name} is not valid for pod ${podName}`);
      }
      const uid = pod.metadata?.uid ?? '';
      const candidates = (await runtimeOf(uid)).containers.filter((c) => c.name === name);
      const chosen = previous ? candidates[1] : candidates[0];
      if (!chosen) {
        if (previous)
          throw StatusError.badRequest(`previous terminated container "${name}" in pod "${podName}" not found`);
        throw StatusError.badRequest(`container "${name}" in pod "${podName}" is waiting to start: ContainerCreating`);
      }
      return {
        containerId: chosen.id,
        logPath: logPathOf(pod, chosen),
        follow: {
          running: async () => {
            const status = await deps.runtime.containerStatus({ containerId: chosen.id }).catch(() => undefined);
            return status?.status?.state === ContainerState.CONTAINER_RUNNING;
          },
          nextLogPath: async () => {
            const newest = (await runtimeOf(uid)).containers.find((c) => c.name === name);
            return newest && newest.id !== chosen.id ? logPathOf(pod, newest) : undefined;
          },
        },
      };
    },
    async exec(containerId: string, command: string[], options: StreamOptions) {
      return (await deps.runtime.exec({ containerId, cmd: command, ...options })).url;
    },
    async attach(containerId: string, options: StreamOptions) {
      return (await deps.runtime.attach({ containerId, ...options })).url;
    },
  };
}
