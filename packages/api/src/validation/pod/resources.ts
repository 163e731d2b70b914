/**
 * A container's resources (ValidateResourceRequirements): known resource names, valid
 * non-negative quantities, whole numbers for extended resources, and requests no larger
 * than limits (equal to them where the resource cannot be overcommitted).
 */

import type { Quantity } from '../../quantity.js';
import type { Container } from '../../types.js';
import { type ErrorList, invalid, required } from '../field-errors.js';
import type { FieldPath } from '../field-path.js';
import { qualifiedNameErrors } from '../names.js';
import { validateNonnegativeQuantity } from '../quantity-checks.js';

type ResourceRequirements = NonNullable<Container['resources']>;

const STANDARD_CONTAINER_RESOURCES = new Set(['cpu', 'memory', 'ephemeral-storage']);
const HUGE_PAGES_PREFIX = 'hugepages-';
const REQUESTS_PREFIX = 'requests.';

function isNativeResource(name: string): boolean {
  return !name.includes('/') || name.includes('kubernetes.io/');
}

function isHugePages(name: string): boolean {
  return name.startsWith(HUGE_PAGES_PREFIX);
}

function isExtendedResource(name: string): boolean {
  if (isNativeResource(name) || name.startsWith(REQUESTS_PREFIX)) return false;
  return qualifiedNameErrors(`${REQUESTS_PREFIX}${name}`).length === 0;
}

/** Only cpu, memory and ephemeral storage may be promised less than their limit. */
function isOvercommitAllowed(name: string): boolean {
  return isNativeResource(name) && !isHugePages(name);
}

function validateContainerResourceName(name: string, path: FieldPath): ErrorList {
  const errs: ErrorList = qualifiedNameErrors(name).map((msg) => invalid(path, name, msg));
  if (!name.includes('/')) {
    if (!STANDARD_CONTAINER_RESOURCES.has(name) && !isHugePages(name)) {
      errs.push(invalid(path, name, 'must be a standard resource for containers'));
    }
  } else if (!isNativeResource(name) && !isExtendedResource(name)) {
    errs.push(invalid(path, name, "doesn't follow extended resource name standard"));
  }
  return errs;
}

function validateResourceList(
  list: Record<string, string> | undefined,
  path: FieldPath,
): { errs: ErrorList; quantities: Map<string, Quantity> } {
  const errs: ErrorList = [];
  const quantities = new Map<string, Quantity>();
  for (const [name, value] of Object.entries(list ?? {})) {
    const at = path.key(name);
    errs.push(...validateContainerResourceName(name, at));
    const checked = validateNonnegativeQuantity(value, at);
    errs.push(...checked.errs);
    if (!checked.quantity) continue;
    if (isExtendedResource(name) && checked.quantity.milliValue() % 1000n !== 0n) {
      errs.push(invalid(at, checked.quantity.toString(), 'must be an integer'));
    }
    quantities.set(name, checked.quantity);
  }
  return { errs, quantities };
}

export function validateResourceRequirements(resources: ResourceRequirements | undefined, path: FieldPath): ErrorList {
  const limitsPath = path.child('limits');
  const requestsPath = path.child('requests');
  const limits = validateResourceList(resources?.limits, limitsPath);
  const requests = validateResourceList(resources?.requests, requestsPath);
  const errs = [...limits.errs, ...requests.errs];
  for (const [name, request] of requests.quantities) {
    const limit = limits.quantities.get(name);
    if (limit) {
      if (request.cmp(limit) !== 0 && !isOvercommitAllowed(name)) {
        errs.push(invalid(requestsPath, request.toString(), `must be equal to ${name} limit of ${limit.toString()}`));
      } else if (request.cmp(limit) > 0) {
        errs.push(
          invalid(
            requestsPath,
            request.toString(),
            `must be less than or equal to ${name} limit of ${limit.toString()}`,
          ),
        );
      }
    } else if (!isOvercommitAllowed(name) && !(resources?.limits && name in resources.limits)) {
      errs.push(required(limitsPath, 'Limit must be set for non overcommitable resources'));
    }
  }
  return errs;
}
