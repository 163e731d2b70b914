import { describe, expect, it } from 'vitest';
import { acceptsJson, negotiateResource, wantsAggregatedDiscovery } from './negotiation.js';

const KUBECTL_GET =
  'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json';
const KUBECTL_DISCOVERY =
  'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json';

describe('negotiateResource', () => {
  it('serves the Table kubectl get asks for first', () => {
    expect(negotiateResource(KUBECTL_GET)).toEqual({ encoding: 'json', table: 'v1' });
    expect(negotiateResource('application/json;as=Table;v=v1beta1;g=meta.k8s.io')).toEqual({
      encoding: 'json',
      table: 'v1beta1',
    });
  });

  it('falls back to JSON or YAML, and JSON without an Accept header', () => {
    expect(negotiateResource(undefined)).toEqual({ encoding: 'json' });
    expect(negotiateResource('application/vnd.kubernetes.protobuf, application/json')).toEqual({ encoding: 'json' });
    expect(negotiateResource('application/yaml')).toEqual({ encoding: 'yaml' });
    expect(negotiateResource('*/*')).toEqual({ encoding: 'json' });
  });

  it('answers 406 when nothing listed can be produced', () => {
    expect(() => negotiateResource('application/vnd.kubernetes.protobuf')).toThrow(/only the following media types/);
    expect(() => negotiateResource('application/json;as=PartialObjectMetadataList;v=v1;g=meta.k8s.io')).toThrow();
  });
});

describe('discovery negotiation', () => {
  it('serves aggregated discovery to kubectl 1.35 and the legacy form to others', () => {
    expect(wantsAggregatedDiscovery(KUBECTL_DISCOVERY)).toBe(true);
    expect(wantsAggregatedDiscovery('application/json')).toBe(false);
    expect(
      wantsAggregatedDiscovery(
        'application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json',
      ),
    ).toBe(false);
    expect(wantsAggregatedDiscovery(undefined)).toBe(false);
  });

  it('tells whether plain JSON is acceptable (OpenAPI v2 for kubectl asks for protobuf only)', () => {
    expect(acceptsJson('application/com.github.proto-openapi.spec.v2@v1.0+protobuf')).toBe(false);
    expect(acceptsJson('application/json')).toBe(true);
    expect(acceptsJson(undefined)).toBe(true);
  });
});
