/**
 * resourceFieldRef values (kube's containerResourceRuntimeValue): a container's requests or
 * limits divided by the divisor and rounded up; a limit the container does not set is the
 * node's allocatable, as kube defaults it.
 */
import type { Container } from '@tkube/api';
import { Quantity } from '@tkube/api';
import { ContainerConfigError } from './errors.js';

export type NodeAllocatable = Record<string, string>;

export function resourceFieldRefValue(
  selector: ResourceFieldSelectorLike,
  container: Container,
  allocatable: NodeAllocatable,
): string {
  const [kind, resource] = splitResource(selector.resource);
  const requested = kind === 'limits' ? container.resources?.limits : container.resources?.requests;
  let text = requested?.[resource];
  if (text === undefined && kind === 'limits') text = allocatable[resource];
  if (text === undefined && kind === 'requests') text = '0';
  const value = Quantity.from(text ?? '0');
  const divisor = Quantity.from(selector.divisor ?? '1');
  if (divisor.isZero()) throw new ContainerConfigError(`the divisor of ${selector.resource} must not be zero`);
  if (resource === 'cpu') {
    return String(Math.ceil(Number(value.milliValue()) / Number(divisor.milliValue())));
  }
  return String(Math.ceil(Number(value.value()) / Number(divisor.value())));
}

export interface ResourceFieldSelectorLike {
  resource: string;
  divisor?: string | number;
  containerName?: string;
}

function splitResource(resource: string): ['limits' | 'requests', string] {
  const match = /^(limits|requests)\.(cpu|memory|ephemeral-storage)$/.exec(resource);
  if (!match) throw new ContainerConfigError(`unsupported container resource: ${resource}`);
  return [match[1] as 'limits' | 'requests', match[2] ?? ''];
}
