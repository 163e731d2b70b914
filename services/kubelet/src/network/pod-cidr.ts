/**
 * The node's pod CIDR as the kubelet works with it (kube's runtimeState.podCIDR): the
 * Node's spec.podCIDR (set at registration from --pod-cidr, or patched in later by node
 * IPAM), once the container runtime has accepted it. Until then, pods on the pod network
 * get no sandbox and the node is not Ready. Listeners hear each change once.
 */
import type { Node } from '@tkube/api';

/** Why the network is not ready while the node has no pod CIDR. */
export const NO_POD_CIDR_YET = 'the node has no pod CIDR yet';

/** The Node's pod CIDR: spec.podCIDR, else the first of spec.podCIDRs; undefined if none. */
export function podCidrOf(node: Node | undefined): string | undefined {
  const cidr = (node?.spec?.podCIDR || node?.spec?.podCIDRs?.[0])?.trim();
  return cidr || undefined;
}

export type PodCidrListener = (podCidr: string) => void;

export class PodCidr {
  private current: string | undefined;
  private readonly listeners = new Set<PodCidrListener>();

  /** The pod CIDR; undefined until the node has one. */
  get value(): string | undefined {
    return this.current;
  }

  /**
   * Sets the CIDR; answers whether it changed. An empty value never forgets a known CIDR:
   * a Node's pod CIDR, once given, is not taken away (the apiserver forbids changing it).
   */
  set(podCidr: string | undefined): boolean {
    const cidr = podCidr?.trim();
    if (!cidr || cidr === this.current) return false;
    this.current = cidr;
    for (const listener of this.listeners) listener(cidr);
    return true;
  }

  /** Calls `listener` on every change from now on; answers its removal. */
  onChange(listener: PodCidrListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
