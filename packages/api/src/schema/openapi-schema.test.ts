import { describe, expect, it } from 'vitest';
import { findResource, RESOURCES } from '../resources.js';
import { componentSchemas, definitionNameOf, schemaFor } from './openapi-schema.js';

const deployments = findResource('apps', 'v1', 'deployments')!;

describe('OpenAPI schemas', () => {
  it('names definitions as Kubernetes does', () => {
    expect(definitionNameOf(deployments)).toBe('io.k8s.api.apps.v1.Deployment');
    expect(definitionNameOf(findResource('', 'v1', 'events')!)).toBe('io.k8s.api.core.v1.Event');
    expect(definitionNameOf(findResource('autoscaling', 'v2', 'horizontalpodautoscalers')!)).toBe(
      'io.k8s.api.autoscaling.v2.HorizontalPodAutoscaler',
    );
  });

  it('marks a kind with its group-version-kind and references its parts', () => {
    const schema = schemaFor(deployments)!;
    expect(schema['x-kubernetes-group-version-kind']).toEqual([{ group: 'apps', kind: 'Deployment', version: 'v1' }]);
    const metadata = (schema.properties as Record<string, { $ref?: string; allOf?: { $ref: string }[] }>).metadata;
    const metadataRef = metadata.$ref ?? metadata.allOf?.[0].$ref;
    expect(metadataRef).toBe('#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta');
  });

  it('emits every reachable definition, with shared types in their own package', () => {
    const schemas = componentSchemas(RESOURCES);
    expect(schemas['io.k8s.api.core.v1.PodTemplateSpec']).toBeDefined();
    expect(schemas['io.k8s.api.apps.v1.DeploymentSpec']).toBeDefined();
    const spec = schemas['io.k8s.api.apps.v1.DeploymentSpec'].properties as Record<string, Record<string, unknown>>;
    expect(spec.replicas).toMatchObject({ type: 'integer', format: 'int32' });
    const podSpec = schemas['io.k8s.api.core.v1.PodSpec'].properties as Record<string, Record<string, unknown>>;
    expect(podSpec.containers).toMatchObject({
      type: 'array',
      'x-kubernetes-patch-strategy': 'merge',
      'x-kubernetes-patch-merge-key': 'name',
    });
    // Every reference resolves.
    const refs = JSON.stringify(schemas).match(/#\/components\/schemas\/[\w.]+/g) ?? [];
    for (const ref of refs) expect(schemas[ref.slice('#/components/schemas/'.length)], ref).toBeDefined();
  });

  it('carries descriptions from the Kubernetes field docs', () => {
    const schemas = componentSchemas([deployments]);
    const spec = schemas['io.k8s.api.apps.v1.DeploymentSpec'];
    expect(String((spec.properties as Record<string, Record<string, unknown>>).replicas.description)).toContain(
      'Number of desired pods',
    );
    expect(spec.required).toEqual(['selector', 'template']);
  });
});
