/**
 * Fluent builders of Pods and Nodes for the plugin tests, after kube-scheduler's
 * st.MakePod()/st.MakeNode(): `makePod().name('p').req({ cpu: '1' }).obj()`.
 */
import type { LabelSelector, Node, Pod } from '@tkube/api';
import type {
  Container,
  NodeSelectorRequirement,
  PodAffinityTerm,
  Taint,
  Toleration,
  TopologySpreadConstraint,
} from '../api-types.js';

type Spec = NonNullable<Pod['spec']>;
type Affinity = NonNullable<Spec['affinity']>;

export class PodBuilder {
  private readonly pod: Pod & { metadata: NonNullable<Pod['metadata']>; spec: Spec };

  constructor() {
    this.pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: '', namespace: 'default' },
      spec: { containers: [] },
    };
  }

  name(name: string): this {
    this.pod.metadata.name = name;
    return this;
  }

  uid(uid: string): this {
    this.pod.metadata.uid = uid;
    return this;
  }

  namespace(namespace: string): this {
    this.pod.metadata.namespace = namespace;
    return this;
  }

  label(key: string, value: string): this {
    this.pod.metadata.labels = { ...this.pod.metadata.labels, [key]: value };
    return this;
  }

  labels(labels: Record<string, string>): this {
    this.pod.metadata.labels = { ...this.pod.metadata.labels, ...labels };
    return this;
  }

  terminating(): this {
    this.pod.metadata.deletionTimestamp = '2024-01-01T00:00:00Z';
    return this;
  }

  node(nodeName: string): this {
    this.pod.spec.nodeName = nodeName;
    return this;
  }

  /** Adds a container requesting these amounts. */
  req(requests: Record<string, string>): this {
    this.pod.spec.containers.push(container(`c${this.pod.spec.containers.length}`, requests));
    return this;
  }

  /** Adds an init container requesting these amounts (a sidecar when `sidecar`). */
  initReq(requests: Record<string, string>, sidecar = false): this {
    const init = container(`i${this.pod.spec.initContainers?.length ?? 0}`, requests);
    if (sidecar) init.restartPolicy = 'Always';
    this.pod.spec.initContainers = [...(this.pod.spec.initContainers ?? []), init];
    return this;
  }

  overhead(overhead: Record<string, string>): this {
    this.pod.spec.overhead = overhead;
    return this;
  }

  /** Adds a container with this host port. */
  hostPort(port: number, protocol = 'TCP', hostIP = ''): this {
    const c = container(`p${this.pod.spec.containers.length}`, {});
    c.ports = [{ containerPort: port, hostPort: port, protocol, ...(hostIP ? { hostIP } : {}) }];
    this.pod.spec.containers.push(c);
    return this;
  }

  nodeSelector(selector: Record<string, string>): this {
    this.pod.spec.nodeSelector = selector;
    return this;
  }

  /** A required node affinity term with these label requirements (terms are ORed). */
  nodeAffinityTerm(matchExpressions: NodeSelectorRequirement[], matchFields?: NodeSelectorRequirement[]): this {
    const nodeAffinity = this.affinity().nodeAffinity ?? {};
    const required = nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution ?? { nodeSelectorTerms: [] };
    required.nodeSelectorTerms.push({ matchExpressions, ...(matchFields ? { matchFields } : {}) });
    nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution = required;
    this.affinity().nodeAffinity = nodeAffinity;
    return this;
  }

  preferredNodeAffinity(weight: number, matchExpressions: NodeSelectorRequirement[]): this {
    const nodeAffinity = this.affinity().nodeAffinity ?? {};
    nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution = [
      ...(nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution ?? []),
      { weight, preference: { matchExpressions } },
    ];
    this.affinity().nodeAffinity = nodeAffinity;
    return this;
  }

  toleration(toleration: Toleration): this {
    this.pod.spec.tolerations = [...(this.pod.spec.tolerations ?? []), toleration];
    return this;
  }

  /** A required pod affinity term: `podAffinityIn('security', ['S1'], 'zone')`. */
  podAffinityIn(key: string, values: string[], topologyKey: string, extra: Partial<PodAffinityTerm> = {}): this {
    return this.podAffinity(inSelector(key, values), topologyKey, extra);
  }

  podAntiAffinityIn(key: string, values: string[], topologyKey: string, extra: Partial<PodAffinityTerm> = {}): this {
    return this.podAntiAffinity(inSelector(key, values), topologyKey, extra);
  }

  podAffinity(labelSelector: LabelSelector, topologyKey: string, extra: Partial<PodAffinityTerm> = {}): this {
    const podAffinity = this.affinity().podAffinity ?? {};
    podAffinity.requiredDuringSchedulingIgnoredDuringExecution = [
      ...(podAffinity.requiredDuringSchedulingIgnoredDuringExecution ?? []),
      { labelSelector, topologyKey, ...extra },
    ];
    this.affinity().podAffinity = podAffinity;
    return this;
  }

  podAntiAffinity(labelSelector: LabelSelector, topologyKey: string, extra: Partial<PodAffinityTerm> = {}): this {
    const anti = this.affinity().podAntiAffinity ?? {};
    anti.requiredDuringSchedulingIgnoredDuringExecution = [
      ...(anti.requiredDuringSchedulingIgnoredDuringExecution ?? []),
      { labelSelector, topologyKey, ...extra },
    ];
    this.affinity().podAntiAffinity = anti;
    return this;
  }

  preferredPodAffinityIn(weight: number, key: string, values: string[], topologyKey: string): this {
    const podAffinity = this.affinity().podAffinity ?? {};
    podAffinity.preferredDuringSchedulingIgnoredDuringExecution = [
      ...(podAffinity.preferredDuringSchedulingIgnoredDuringExecution ?? []),
      { weight, podAffinityTerm: { labelSelector: inSelector(key, values), topologyKey } },
    ];
    this.affinity().podAffinity = podAffinity;
    return this;
  }

  preferredPodAntiAffinityIn(weight: number, key: string, values: string[], topologyKey: string): this {
    const anti = this.affinity().podAntiAffinity ?? {};
    anti.preferredDuringSchedulingIgnoredDuringExecution = [
      ...(anti.preferredDuringSchedulingIgnoredDuringExecution ?? []),
      { weight, podAffinityTerm: { labelSelector: inSelector(key, values), topologyKey } },
    ];
    this.affinity().podAntiAffinity = anti;
    return this;
  }

  /** A topology spread constraint; `selector` defaults to "label `foo` exists" as in kube's tests. */
  spreadConstraint(
    maxSkew: number,
    topologyKey: string,
    whenUnsatisfiable: 'DoNotSchedule' | 'ScheduleAnyway',
    labelSelector: LabelSelector,
    extra: Partial<TopologySpreadConstraint> = {},
  ): this {
    this.pod.spec.topologySpreadConstraints = [
      ...(this.pod.spec.topologySpreadConstraints ?? []),
      { maxSkew, topologyKey, whenUnsatisfiable, labelSelector, ...extra },
    ];
    return this;
  }

  obj(): Pod {
    return structuredClone(this.pod);
  }

  private affinity(): Affinity {
    this.pod.spec.affinity ??= {};
    return this.pod.spec.affinity;
  }
}

export class NodeBuilder {
  private readonly node: Node & { metadata: NonNullable<Node['metadata']>; spec: NonNullable<Node['spec']> };

  constructor() {
    this.node = { apiVersion: 'v1', kind: 'Node', metadata: { name: '' }, spec: {}, status: {} };
  }

  name(name: string): this {
    this.node.metadata.name = name;
    return this;
  }

  label(key: string, value: string): this {
    this.node.metadata.labels = { ...this.node.metadata.labels, [key]: value };
    return this;
  }

  labels(labels: Record<string, string>): this {
    this.node.metadata.labels = { ...this.node.metadata.labels, ...labels };
    return this;
  }

  /** Sets capacity and allocatable; 32 pods unless given. */
  capacity(resources: Record<string, string>): this {
    const withPods = { pods: '32', ...resources };
    this.node.status = { ...this.node.status, capacity: withPods, allocatable: withPods };
    return this;
  }

  taint(key: string, value: string, effect: Taint['effect']): this {
    this.node.spec.taints = [...(this.node.spec.taints ?? []), { key, value, effect }];
    return this;
  }

  unschedulable(): this {
    this.node.spec.unschedulable = true;
    return this;
  }

  obj(): Node {
    return structuredClone(this.node);
  }
}

export function makePod(): PodBuilder {
  return new PodBuilder();
}

export function makeNode(): NodeBuilder {
  return new NodeBuilder();
}

export function inSelector(key: string, values: string[]): LabelSelector {
  return { matchExpressions: [{ key, operator: 'In', values }] };
}

export function existsSelector(key: string): LabelSelector {
  return { matchExpressions: [{ key, operator: 'Exists' }] };
}

function container(name: string, requests: Record<string, string>): Container {
  return { name, image: 'busybox', ...(Object.keys(requests).length > 0 ? { resources: { requests } } : {}) };
}
