import { describe, expect, it } from 'vitest';
import { encodeOpenApiV2 } from './openapi-v2-protobuf.js';
import { decodeOpenApiV2, extension, named } from './testing/openapi-v2-proto.js';

const GVK = [{ group: '', kind: 'ConfigMap', version: 'v1' }];

const DOCUMENT = {
  swagger: '2.0',
  info: { title: 'Kubernetes', version: 'v1.35.0' },
  paths: {
    '/api/v1/namespaces/{namespace}/configmaps/{name}': {
      patch: {
        operationId: 'patchCoreV1NamespacedConfigMap',
        consumes: ['application/strategic-merge-patch+json'],
        parameters: [
          { name: 'body', in: 'body', required: true, schema: { type: 'object' } },
          { name: 'fieldValidation', in: 'query', type: 'string', uniqueItems: true },
          { $ref: '#/parameters/dryRun' },
        ],
        responses: { '200': { description: 'OK', schema: { $ref: '#/definitions/ConfigMap' } } },
        'x-kubernetes-action': 'patch',
        'x-kubernetes-group-version-kind': { group: '', version: 'v1', kind: 'ConfigMap' },
      },
      parameters: [{ name: 'name', in: 'path', required: true, type: 'string' }],
    },
  },
  definitions: {
    ConfigMap: {
      type: 'object',
      description: 'holds configuration data',
      required: ['metadata'],
      properties: {
        data: { type: 'object', additionalProperties: { type: 'string' } },
        open: { type: 'object', additionalProperties: false },
        ports: {
          type: 'array',
          items: { $ref: '#/definitions/Port' },
          'x-kubernetes-patch-merge-key': 'containerPort',
          'x-kubernetes-patch-strategy': 'merge',
        },
        replicas: { type: 'integer', format: 'int32', maxLength: 300, minimum: 1.5 },
      },
      'x-kubernetes-group-version-kind': GVK,
    },
    Port: { type: 'object', properties: {} },
  },
};

describe('the OpenAPI v2 document as gnostic protobuf', () => {
  const decoded = decodeOpenApiV2(encodeOpenApiV2(DOCUMENT));
  const definitions = decoded.definitions.additional_properties;

  it('carries swagger, info and every definition by name', () => {
    expect(decoded.swagger).toBe('2.0');
    expect(decoded.info).toEqual({ title: 'Kubernetes', version: 'v1.35.0' });
    expect(definitions.map((entry: { name: string }) => entry.name)).toEqual(['ConfigMap', 'Port']);
  });

  it('encodes schemas: type, description, required, properties, items, additionalProperties, $ref', () => {
    const configMap = named(definitions, 'ConfigMap');
    expect(configMap.type.value).toEqual(['object']);
    expect(configMap.description).toBe('holds configuration data');
    expect(configMap.required).toEqual(['metadata']);
    const props = configMap.properties.additional_properties;
    expect(named(props, 'data')).toMatchObject({
      additional_properties: { oneof: 'schema', schema: { type: { value: ['string'] } } },
    });
    expect(named(props, 'open')).toMatchObject({ additional_properties: { oneof: 'boolean', boolean: false } });
    const ports = named<{ items: { schema: unknown[] }; vendor_extension: [] }>(props, 'ports');
    expect(ports?.items.schema).toEqual([{ _ref: '#/definitions/Port' }]);
    expect(extension(ports?.vendor_extension, 'x-kubernetes-patch-merge-key')).toBe('containerPort');
    expect(extension(ports?.vendor_extension, 'x-kubernetes-patch-strategy')).toBe('merge');
    expect(named(props, 'replicas')).toMatchObject({ format: 'int32', max_length: 300, minimum: 1.5 });
  });

  it('keeps an empty properties object (kube-openapi reads its presence as "a kind")', () => {
    expect(named(definitions, 'Port')).toEqual({ type: { value: ['object'] }, properties: {} });
  });

  it('carries x-kubernetes-group-version-kind as YAML text of the list', () => {
    const configMap = named(definitions, 'ConfigMap');
    expect(extension(configMap.vendor_extension, 'x-kubernetes-group-version-kind')).toEqual(GVK);
  });

  it('encodes paths: operations, parameters by location, responses and vendor extensions', () => {
    const item = named(decoded.paths.path, '/api/v1/namespaces/{namespace}/configmaps/{name}');
    const patch = item.patch;
    expect(patch.operation_id).toBe('patchCoreV1NamespacedConfigMap');
    expect(patch.consumes).toEqual(['application/strategic-merge-patch+json']);
    expect(patch.parameters[0].parameter.body_parameter).toMatchObject({ name: 'body', in: 'body', required: true });
    expect(patch.parameters[1].parameter.non_body_parameter.query_parameter_sub_schema).toEqual({
      name: 'fieldValidation',
      in: 'query',
      type: 'string',
      unique_items: true,
    });
    expect(patch.parameters[2].json_reference).toEqual({ _ref: '#/parameters/dryRun' });
    const ok = named<{ response: unknown }>(patch.responses.response_code, '200');
    expect(ok?.response).toMatchObject({ description: 'OK', schema: { schema: { _ref: '#/definitions/ConfigMap' } } });
    expect(extension(patch.vendor_extension, 'x-kubernetes-action')).toBe('patch');
    expect(extension(patch.vendor_extension, 'x-kubernetes-group-version-kind')).toEqual({
      group: '',
      version: 'v1',
      kind: 'ConfigMap',
    });
    expect(item.parameters[0].parameter.non_body_parameter.path_parameter_sub_schema).toEqual({
      name: 'name',
      in: 'path',
      required: true,
      type: 'string',
    });
  });

  it('always writes paths, even when the document has none (gnostic requires the field)', () => {
    const bare = decodeOpenApiV2(encodeOpenApiV2({ swagger: '2.0', info: { title: 't', version: 'v' } }));
    expect(bare.paths).toEqual({});
  });
});
