/**
 * A container's environment as kube's makeEnvironmentVariables builds it: envFrom sources
 * first (ConfigMaps and Secrets, each key with the prefix; keys that are not valid variable
 * names are skipped), then `env` in order, where a value may use $(VAR) of the variables
 * defined before it and valueFrom reads the downward API, resources, ConfigMaps and Secrets.
 * A missing source or key that is not optional is a ContainerConfigError. Last come the
 * Service variables (service-env.ts) the container does not define itself; $(VAR) in a
 * value may use them too, as kube's expansion reads the container's variables, then the
 * Services'.
 */
import type { ConfigMap, Container, Pod, Secret } from '@tkube/api';
import { ContainerConfigError } from './errors.js';
import { expand } from './expand.js';
import { fieldRefValue, type PodRuntimeFacts } from './field-ref.js';
import { type NodeAllocatable, resourceFieldRefValue } from './resource-field-ref.js';
import { type ServiceLister, serviceEnvOf } from './service-env.js';

/** Reads ConfigMaps and Secrets of the pod's namespace; undefined when absent. */
export interface ConfigSource {
  getConfigMap(namespace: string, name: string): Promise<ConfigMap | undefined>;
  getSecret(namespace: string, name: string): Promise<Secret | undefined>;
}

export interface EnvContext extends PodRuntimeFacts {
  source: ConfigSource;
  allocatable: NodeAllocatable;
  /** The Services whose variables the container gets; none without it (a kubelet with no apiserver). */
  services?: ServiceLister;
}

export interface EnvVariable {
  name: string;
  value: string;
}

/** C identifiers, plus "-" and "." which kube allows since 1.33 (any printable but "="). */
const ENV_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;

export async function containerEnv(pod: Pod, container: Container, context: EnvContext): Promise<EnvVariable[]> {
  const namespace = pod.metadata?.namespace ?? 'default';
  const serviceEnv = context.services ? serviceEnvOf(pod, context.services) : new Map<string, string>();
  const env = new Map<string, string>();
  const lookup = (name: string) => env.get(name) ?? serviceEnv.get(name);

  for (const from of container.envFrom ?? []) {
    const prefix = from.prefix ?? '';
    if (from.configMapRef) {
      const name = from.configMapRef.name ?? '';
      const configMap = await context.source.getConfigMap(namespace, name);
      if (!configMap) {
        if (from.configMapRef.optional) continue;
        throw new ContainerConfigError(`configmap "${name}" not found`);
      }
      for (const [key, value] of Object.entries(configMap.data ?? {})) {
        if (ENV_NAME.test(prefix + key)) env.set(prefix + key, value);
      }
    } else if (from.secretRef) {
      const name = from.secretRef.name ?? '';
      const secret = await context.source.getSecret(namespace, name);
      if (!secret) {
        if (from.secretRef.optional) continue;
        throw new ContainerConfigError(`secret "${name}" not found`);
      }
      for (const [key, value] of Object.entries(secretData(secret))) {
        if (ENV_NAME.test(prefix + key)) env.set(prefix + key, value);
      }
    }
  }

  for (const variable of container.env ?? []) {
    const resolved = await variableValue(pod, container, variable, namespace, lookup, context);
    if (resolved !== undefined) env.set(variable.name, resolved);
  }
  for (const [name, value] of serviceEnv) if (!env.has(name)) env.set(name, value);
  return [...env].map(([name, value]) => ({ name, value }));
}

/** The command and args with $(VAR) expanded against the container's final environment. */
export function expandCommand(container: Container, env: readonly EnvVariable[]) {
  const values = new Map(env.map((v) => [v.name, v.value]));
  const lookup = (name: string) => values.get(name);
  return {
    command: (container.command ?? []).map((part) => expand(part, lookup)),
    args: (container.args ?? []).map((part) => expand(part, lookup)),
  };
}

type EnvVarSpec = NonNullable<Container['env']>[number];

/** The variable's value, or undefined when an optional source is missing (the variable is skipped). */
async function variableValue(
  pod: Pod,
  container: Container,
  variable: EnvVarSpec,
  namespace: string,
  lookup: (name: string) => string | undefined,
  context: EnvContext,
): Promise<string | undefined> {
  if (variable.value !== undefined && variable.value !== '') {
    return expand(variable.value, lookup);
  }
  const from = variable.valueFrom;
  if (!from) return '';
  if (from.fieldRef) return fieldRefValue(pod, from.fieldRef.fieldPath, context);
  if (from.resourceFieldRef) {
    const target = from.resourceFieldRef.containerName
      ? [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])].find(
          (c) => c.name === from.resourceFieldRef?.containerName,
        )
      : container;
    if (!target) throw new ContainerConfigError(`container "${from.resourceFieldRef.containerName}" not found`);
    return resourceFieldRefValue(from.resourceFieldRef, target, context.allocatable);
  }
  if (from.configMapKeyRef) {
    const { name = '', key, optional } = from.configMapKeyRef;
    const configMap = await context.source.getConfigMap(namespace, name);
    if (!configMap) {
      if (optional) return undefined;
      throw new ContainerConfigError(`configmap "${name}" not found`);
    }
    const value = configMap.data?.[key];
    if (value === undefined) {
      if (optional) return undefined;
      throw new ContainerConfigError(`couldn't find key ${key} in ConfigMap ${namespace}/${name}`);
    }
    return value;
  }
  if (from.secretKeyRef) {
    const { name = '', key, optional } = from.secretKeyRef;
    const secret = await context.source.getSecret(namespace, name);
    if (!secret) {
      if (optional) return undefined;
      throw new ContainerConfigError(`secret "${name}" not found`);
    }
    const value = secretData(secret)[key];
    if (value === undefined) {
      if (optional) return undefined;
      throw new ContainerConfigError(`couldn't find key ${key} in Secret ${namespace}/${name}`);
    }
    return value;
  }
  return '';
}

/** A Secret's values, decoded (data is base64; stringData is folded in by the apiserver, but accepted too). */
export function secretData(secret: Secret): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(secret.data ?? {}))
    out[key] = Buffer.from(value, 'base64').toString('utf8');
  for (const [key, value] of Object.entries(secret.stringData ?? {})) out[key] ??= value;
  return out;
}
