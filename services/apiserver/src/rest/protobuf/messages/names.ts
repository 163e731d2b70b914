/** Fully qualified message names, as in the OpenAPI definitions (and in error messages). */
export const core = (name: string) => `io.k8s.api.core.v1.${name}`;
export const apps = (name: string) => `io.k8s.api.apps.v1.${name}`;
export const batch = (name: string) => `io.k8s.api.batch.v1.${name}`;
export const autoscalingV1 = (name: string) => `io.k8s.api.autoscaling.v1.${name}`;
export const autoscalingV2 = (name: string) => `io.k8s.api.autoscaling.v2.${name}`;
export const meta = (name: string) => `io.k8s.apimachinery.pkg.apis.meta.v1.${name}`;
export const policy = (name: string) => `io.k8s.api.policy.v1.${name}`;
