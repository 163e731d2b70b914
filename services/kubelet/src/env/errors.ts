/**
 * A container's configuration cannot be made (a missing ConfigMap or key, a bad reference):
 * the container waits with reason CreateContainerConfigError and this message, as in kube.
 */
export class ContainerConfigError extends Error {
  override name = 'ContainerConfigError';
  readonly reason = 'CreateContainerConfigError';
}
