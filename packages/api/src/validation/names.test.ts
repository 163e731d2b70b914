import { describe, expect, it } from 'vitest';
import { findKind } from '../resources.js';
import { isDNS1123Label, isDNS1123Subdomain, qualifiedNameErrors } from './names.js';
import { validateObjectName } from './object-name.js';

const kind = (apiVersion: string, name: string) => {
  const info = findKind(apiVersion, name);
  if (!info) throw new Error(name);
  return info;
};

describe('name rules', () => {
  it('tells DNS-1123 labels (63) from subdomains (253)', () => {
    expect(isDNS1123Label('my-name')).toBe(true);
    expect(isDNS1123Label('my.name')).toBe(false);
    expect(isDNS1123Label('a'.repeat(64))).toBe(false);
    expect(isDNS1123Subdomain('example.com')).toBe(true);
    expect(isDNS1123Subdomain('Foo_Bar')).toBe(false);
    expect(isDNS1123Subdomain(`${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(61)}`)).toBe(true);
    expect(isDNS1123Subdomain('a'.repeat(254))).toBe(false);
  });

  it("gives most kinds Kubernetes' subdomain message", () => {
    expect(validateObjectName(kind('apps/v1', 'Deployment'), 'Foo_Bar', false)).toEqual([
      "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
    ]);
  });

  it('makes Namespace names DNS labels and Service names DNS-1035 labels', () => {
    expect(validateObjectName(kind('v1', 'Namespace'), 'team.a', false)).toEqual(['must not contain dots']);
    expect(validateObjectName(kind('v1', 'Service'), '1st-service', false)).toEqual([
      "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')",
    ]);
    expect(validateObjectName(kind('v1', 'ConfigMap'), 'app.config', false)).toEqual([]);
  });

  it('accepts a generateName prefix ending in a dash', () => {
    expect(validateObjectName(kind('v1', 'Pod'), 'web-', true)).toEqual([]);
    expect(validateObjectName(kind('v1', 'Pod'), 'web-', false)).not.toEqual([]);
  });

  it('refuses names that cannot be a path segment', () => {
    expect(validateObjectName(kind('v1', 'Event'), 'a/b', false)).toEqual(["may not contain '/'"]);
    expect(validateObjectName(kind('v1', 'Event'), '..', false)).toEqual(["may not be '..'"]);
  });

  it('explains what is wrong with a qualified name', () => {
    expect(qualifiedNameErrors('example.com/')).toEqual([
      'name part must be non-empty',
      "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
    ]);
    expect(qualifiedNameErrors('app.kubernetes.io/name')).toEqual([]);
  });
});
