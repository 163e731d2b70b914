/**
 * A DockerEngine that sees only the containers of one runtime instance. Several plugin
 * processes (one per node when `tkube up --nodes N` runs N nodes on one host) share one
 * Docker engine; without this, each node's kubelet would list, adopt and clean up the
 * other nodes' pods. Containers are labelled with the instance on create, and lists,
 * inspections and events see only that instance's.
 */
import type {
  ContainerDetails,
  ContainerSpec,
  ContainerSummary,
  DockerEngine,
  EngineEvent,
  EventOptions,
} from './engine.js';

export const INSTANCE_LABEL = 'io.tkube.cri.instance';

export function scopedEngine(inner: DockerEngine, instance: string): DockerEngine {
  const own = { [INSTANCE_LABEL]: instance };
  const overrides: Partial<DockerEngine> = {
    createContainer: (spec: ContainerSpec) => inner.createContainer({ ...spec, labels: { ...spec.labels, ...own } }),
    listContainers: (labels: Record<string, string>): Promise<ContainerSummary[]> =>
      inner.listContainers({ ...labels, ...own }),
    inspectContainer: async (id: string): Promise<ContainerDetails | undefined> => {
      const details = await inner.inspectContainer(id);
      return details?.labels[INSTANCE_LABEL] === instance ? details : undefined;
    },
    events: (options: EventOptions): AsyncIterable<EngineEvent> =>
      inner.events({ ...options, labels: { ...options.labels, ...own } }),
  };
  return new Proxy(inner, {
    get(target, property, receiver) {
      if (property in overrides) return overrides[property as keyof DockerEngine];
      const value: unknown = Reflect.get(target, property, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
