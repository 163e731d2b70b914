import { describe, expect, it } from 'vitest';
import { RESOURCES } from '../resources.js';
import { definitionName } from './definition-names.js';
import { componentSchemas } from './openapi-schema.js';
import { PATCH_STRATEGIES, patchStrategyOf } from './patch-strategies.js';

describe('patch strategies', () => {
  // A misspelt model or field would be silently ignored by both readers; this catches it.
  it('tags only fields the served kinds reach, and the OpenAPI documents carry every tag', () => {
    const schemas = componentSchemas(RESOURCES);
    for (const [key, strategy] of Object.entries(PATCH_STRATEGIES)) {
      const [model, field] = key.split('.');
      const definition = schemas[definitionName(model)];
      expect(definition, `${key}: no definition for ${model}`).toBeDefined();
      const property = (definition.properties as Record<string, Record<string, unknown>>)[field];
      expect(property, `${key}: no such field`).toBeDefined();
      expect(property['x-kubernetes-patch-strategy'], key).toBe(strategy.strategy);
      expect(property['x-kubernetes-patch-merge-key'], key).toBe(strategy.mergeKey);
    }
  });

  it.each([
    ['V1PodSpec', 'volumes', { strategy: 'merge,retainKeys', mergeKey: 'name' }],
    ['V1DeploymentSpec', 'strategy', { strategy: 'retainKeys' }],
    ['V1PodStatus', 'podIPs', { strategy: 'merge', mergeKey: 'ip' }],
    ['V1PodStatus', 'hostIPs', { strategy: 'merge', mergeKey: 'ip' }],
    ['V1NodeStatus', 'addresses', { strategy: 'merge', mergeKey: 'type' }],
    ['V1ObjectMeta', 'finalizers', { strategy: 'merge' }],
    ['V1PodSpec', 'tolerations', undefined],
  ])('gives %s.%s the strategy of its Kubernetes tags', (model, field, strategy) => {
    expect(patchStrategyOf(model, field)).toEqual(strategy);
  });
});
