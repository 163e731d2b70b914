/**
 * Conventions the kubelet and every runtime agree on beyond the wire format.
 */

/** Labels the kubelet puts on PodSandboxConfig.labels, mapping a sandbox back to its pod. */
export const KUBERNETES_POD_LABELS = {
  name: 'io.kubernetes.pod.name',
  namespace: 'io.kubernetes.pod.namespace',
  uid: 'io.kubernetes.pod.uid',
} as const;

/** Labels the kubelet puts on ContainerConfig.labels (with the pod labels above). */
export const KUBERNETES_CONTAINER_LABELS = {
  name: 'io.kubernetes.container.name',
} as const;

/** CRI times are nanoseconds since the epoch; JS dates are milliseconds. */
export function nanosToMillis(nanos: bigint): number {
  return Number(nanos / 1_000_000n);
}

export function millisToNanos(millis: number): bigint {
  return BigInt(Math.trunc(millis)) * 1_000_000n;
}
