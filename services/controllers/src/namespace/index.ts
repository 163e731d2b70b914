/** The namespace controller. */
export type { NamespaceClient, NamespaceControllerDeps } from './controller.js';
export { NAMESPACES, startNamespaceController } from './controller.js';
export {
  awaitsFinalization,
  KUBERNETES_FINALIZER,
  namespacedResources,
  withoutKubernetesFinalizer,
} from './namespace-content.js';
