/**
 * Which name rule each kind follows (the ValidateNameFunc its strategy hands to
 * ValidateObjectMeta). Most kinds take a DNS-1123 subdomain; a Namespace is a DNS-1123
 * label, a Service a DNS-1035 label (it becomes a DNS name and an environment variable),
 * an Event only has to be a valid path segment.
 */
import type { ResourceInfo } from '../resources.js';
import { dns1035LabelErrors, dns1123LabelErrors, dns1123SubdomainErrors, pathSegmentNameErrors } from './names.js';

export type NameRule = (name: string, prefix: boolean) => string[];

/**
 * A generateName prefix usually ends in '-', which no DNS name may: apimachinery masks the
 * dash (quirk included: it drops the character before it too) so the prefix can be checked.
 */
function maskTrailingDash(name: string): string {
  return name.length > 1 && name.endsWith('-') ? `${name.slice(0, -2)}a` : name;
}

export const nameIsDNSSubdomain: NameRule = (name, prefix) =>
  dns1123SubdomainErrors(prefix ? maskTrailingDash(name) : name);

export const nameIsDNSLabel: NameRule = (name, prefix) => dns1123LabelErrors(prefix ? maskTrailingDash(name) : name);

export const nameIsDNS1035Label: NameRule = (name, prefix) =>
  dns1035LabelErrors(prefix ? maskTrailingDash(name) : name);

export const nameIsPathSegment: NameRule = (name, prefix) => pathSegmentNameErrors(name, prefix);

const RULES_BY_KIND: Readonly<Record<string, NameRule>> = {
  Namespace: nameIsDNSLabel,
  Service: nameIsDNS1035Label,
  Event: nameIsPathSegment,
};

export function nameRuleOf(info: Pick<ResourceInfo, 'kind'>): NameRule {
  return RULES_BY_KIND[info.kind] ?? nameIsDNSSubdomain;
}

export function validateObjectName(info: ResourceInfo, name: string, prefix: boolean): string[] {
  const segmentErrors = pathSegmentNameErrors(name, prefix);
  if (segmentErrors.length > 0) return segmentErrors;
  return nameRuleOf(info)(name, prefix);
}
