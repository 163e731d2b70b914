import { RESOURCES } from '@tkube/api';
import { describe, expect, it } from 'vitest';
import { OpenApiDocuments } from './openapi.js';
import { decodeOpenApiV2, extension, named } from './testing/openapi-v2-proto.js';

describe('OpenAPI documents', () => {
  const docs = new OpenApiDocuments(RESOURCES);

  it('indexes every group version with a hashed URL', () => {
    const index = JSON.parse(docs.v3Index().body);
    const apps = docs.groupVersion('apps', 'v1')!;
    expect(index.paths['apis/apps/v1']).toEqual({ serverRelativeURL: `/openapi/v3/apis/apps/v1?hash=${apps.hash}` });
    expect(Object.keys(index.paths)).toContain('api/v1');
    expect(docs.groupVersion('apps', 'v9')).toBeUndefined();
  });

  it('marks PATCH operations with their kind and the fieldValidation parameter (what kubectl checks)', () => {
    const doc = JSON.parse(docs.groupVersion('apps', 'v1')!.body);
    const patch = doc.paths['/apis/apps/v1/namespaces/{namespace}/deployments/{name}'].patch;
    expect(patch['x-kubernetes-group-version-kind']).toEqual({ group: 'apps', version: 'v1', kind: 'Deployment' });
    expect(patch.parameters).toContainEqual(expect.objectContaining({ name: 'fieldValidation', in: 'query' }));
    const scale = doc.paths['/apis/apps/v1/namespaces/{namespace}/deployments/{name}/scale'].patch;
    expect(scale['x-kubernetes-group-version-kind']).toEqual({ group: 'autoscaling', version: 'v1', kind: 'Scale' });
    expect(doc.components.schemas['io.k8s.api.autoscaling.v1.Scale']).toBeDefined();
    expect(doc.components.schemas['io.k8s.api.apps.v1.Deployment']['x-kubernetes-group-version-kind']).toEqual([
      { group: 'apps', kind: 'Deployment', version: 'v1' },
    ]);
  });

  it('serves a v2 document with #/definitions references', () => {
    const doc = JSON.parse(docs.v2Document().body);
    expect(doc.swagger).toBe('2.0');
    expect(JSON.stringify(doc.definitions['io.k8s.api.apps.v1.Deployment'])).toContain(
      '#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta',
    );
  });

  it('encodes the same v2 document as gnostic protobuf, once', () => {
    const json = JSON.parse(docs.v2Document().body);
    const decoded = decodeOpenApiV2(docs.v2Protobuf());
    expect(docs.v2Protobuf()).toBe(docs.v2Protobuf());
    const names = decoded.definitions.additional_properties.map((entry: { name: string }) => entry.name);
    expect(names).toEqual(Object.keys(json.definitions));
    const deployment = named<{ vendor_extension: [] }>(
      decoded.definitions.additional_properties,
      'io.k8s.api.apps.v1.Deployment',
    );
    expect(extension(deployment?.vendor_extension, 'x-kubernetes-group-version-kind')).toEqual([
      { group: 'apps', kind: 'Deployment', version: 'v1' },
    ]);
  });
});
