/**
 * OpenAPI documents: /openapi/v3 (an index of group versions), /openapi/v3/apis/{g}/{v}
 * (paths and component schemas, each PATCH operation marked with its group-version-kind
 * and the `fieldValidation` parameter so kubectl trusts server-side field validation),
 * and /openapi/v2 in JSON or in gnostic's protobuf (what kubectl asks for). Built once per
 * server: the served resources do not change.
 */
import { createHash } from 'node:crypto';
import { apiVersionOf, type ResourceInfo } from '@tkube/api';
import { componentSchemas, definitionNameOf, type OpenApiSchema } from '@tkube/api/schema';
import { SERVER_VERSION, servedSubresources } from './discovery.js';
import { encodeOpenApiV2 } from './openapi-v2-protobuf.js';

const QUERY = (name: string, type: string, description: string) => ({
  name,
  in: 'query',
  description,
  schema: { type, uniqueItems: true },
});
const DRY_RUN = QUERY(
  'dryRun',
  'string',
  'When present, indicates that modifications should not be persisted. Valid value: All',
);
const FIELD_MANAGER = QUERY(
  'fieldManager',
  'string',
  'fieldManager is a name associated with the actor or entity that is making these changes.',
);
const FIELD_VALIDATION = QUERY(
  'fieldValidation',
  'string',
  'fieldValidation instructs the server on how to handle objects in the request containing unknown or duplicate fields. Valid values are: Ignore, Warn (default) and Strict.',
);
const PATCH_MEDIA_TYPES = [
  'application/json-patch+json',
  'application/merge-patch+json',
  'application/strategic-merge-patch+json',
];

function pascal(text: string): string {
  return text
    .split(/[.-]/)
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
}

interface OperationTarget {
  info: ResourceInfo;
  gvk: { group: string; version: string; kind: string };
  ref: string;
}

function operation(
  action: string,
  operationId: string,
  target: OperationTarget,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  const content = { 'application/json': { schema: { $ref: target.ref } } };
  return {
    operationId,
    responses: { '200': { description: 'OK', content } },
    'x-kubernetes-action': action,
    'x-kubernetes-group-version-kind': target.gvk,
    ...extra,
  };
}

function pathsFor(info: ResourceInfo): Record<string, unknown> {
  const prefix = info.group === '' ? '/api/v1' : `/apis/${info.group}/${info.version}`;
  const scope = info.namespaced ? '/namespaces/{namespace}' : '';
  const idPart = `${pascal(info.group === '' ? 'core' : info.group)}${pascal(info.version)}${info.namespaced ? 'Namespaced' : ''}${info.kind}`;
  const ref = `#/components/schemas/${definitionNameOf(info) ?? info.kind}`;
  const target: OperationTarget = { info, gvk: { group: info.group, version: info.version, kind: info.kind }, ref };
  const pathParams = (withName: boolean) => [
    ...(withName ? [{ name: 'name', in: 'path', required: true, schema: { type: 'string', uniqueItems: true } }] : []),
    ...(info.namespaced
      ? [{ name: 'namespace', in: 'path', required: true, schema: { type: 'string', uniqueItems: true } }]
      : []),
  ];
  const body = { required: true, content: { '*/*': { schema: { $ref: ref } } } };
  const patchBody = {
    required: true,
    content: Object.fromEntries(PATCH_MEDIA_TYPES.map((type) => [type, { schema: { type: 'object' } }])),
  };
  const paths: Record<string, unknown> = {
    [`${prefix}${scope}/${info.resource}`]: {
      get: operation('list', `list${idPart}`, target),
      post: operation('post', `create${idPart}`, target, {
        parameters: [DRY_RUN, FIELD_MANAGER, FIELD_VALIDATION],
        requestBody: body,
      }),
      delete: operation('deletecollection', `deleteCollection${idPart}`, target),
      parameters: pathParams(false),
    },
    [`${prefix}${scope}/${info.resource}/{name}`]: {
      get: operation('get', `read${idPart}`, target),
      put: operation('put', `replace${idPart}`, target, {
        parameters: [DRY_RUN, FIELD_MANAGER, FIELD_VALIDATION],
        requestBody: body,
      }),
      patch: operation('patch', `patch${idPart}`, target, {
        parameters: [DRY_RUN, FIELD_MANAGER, FIELD_VALIDATION],
        requestBody: patchBody,
      }),
      delete: operation('delete', `delete${idPart}`, target),
      parameters: pathParams(true),
    },
  };
  for (const sub of servedSubresources(info).filter((s) => s.name === 'status' || s.name === 'scale')) {
    const subTarget: OperationTarget = {
      info,
      gvk: { group: sub.group, version: sub.version, kind: sub.kind },
      ref: sub.name === 'scale' ? '#/components/schemas/io.k8s.api.autoscaling.v1.Scale' : ref,
    };
    const subId = `${idPart}${pascal(sub.name)}`;
    paths[`${prefix}${scope}/${info.resource}/{name}/${sub.name}`] = {
      get: operation('get', `read${subId}`, subTarget),
      put: operation('put', `replace${subId}`, subTarget, {
        parameters: [DRY_RUN, FIELD_MANAGER, FIELD_VALIDATION],
        requestBody: body,
      }),
      patch: operation('patch', `patch${subId}`, subTarget, {
        parameters: [DRY_RUN, FIELD_MANAGER, FIELD_VALIDATION],
        requestBody: patchBody,
      }),
      parameters: pathParams(true),
    };
  }
  return paths;
}

const SCALE = { group: 'autoscaling', version: 'v1', kind: 'Scale' };

function groupVersionDocument(infos: readonly ResourceInfo[]): Record<string, unknown> {
  const paths: Record<string, unknown> = {};
  for (const info of infos) Object.assign(paths, pathsFor(info));
  const needsScale = infos.some((info) => info.subresources.includes('scale'));
  const schemas: Record<string, OpenApiSchema> = componentSchemas(needsScale ? [...infos, SCALE] : infos, 'v3');
  return {
    openapi: '3.0.0',
    info: { title: 'Kubernetes', version: SERVER_VERSION.gitVersion },
    paths,
    components: { schemas },
  };
}

export interface OpenApiDocument {
  body: string;
  hash: string;
}

function hashOf(body: string): string {
  return createHash('sha512').update(body).digest('hex').toUpperCase();
}

function document(value: unknown): OpenApiDocument {
  const body = JSON.stringify(value);
  return { body, hash: hashOf(body) };
}

/** Serves the OpenAPI documents of a fixed set of resources, building each on first use. */
export class OpenApiDocuments {
  private readonly v3 = new Map<string, OpenApiDocument>();
  private v2?: OpenApiDocument;
  private v2Proto?: Uint8Array;
  private index?: OpenApiDocument;

  constructor(private readonly infos: readonly ResourceInfo[]) {}

  /** "api/v1" or "apis/apps/v1" for a group version. */
  private static key(group: string, version: string): string {
    return group === '' ? `api/${version}` : `apis/${group}/${version}`;
  }

  groupVersion(group: string, version: string): OpenApiDocument | undefined {
    const key = OpenApiDocuments.key(group, version);
    let doc = this.v3.get(key);
    if (!doc) {
      const infos = this.infos.filter((info) => info.group === group && info.version === version);
      if (infos.length === 0) return undefined;
      doc = document(groupVersionDocument(infos));
      this.v3.set(key, doc);
    }
    return doc;
  }

  v3Index(): OpenApiDocument {
    if (!this.index) {
      const paths: Record<string, { serverRelativeURL: string }> = {};
      for (const gv of new Set(this.infos.map((info) => apiVersionOf(info)))) {
        const [group, version] = gv.includes('/') ? gv.split('/') : ['', gv];
        const key = OpenApiDocuments.key(group, version);
        const doc = this.groupVersion(group, version);
        if (doc) paths[key] = { serverRelativeURL: `/openapi/v3/${key}?hash=${doc.hash}` };
      }
      this.index = document({ paths });
    }
    return this.index;
  }

  v2Document(): OpenApiDocument {
    this.v2 ??= document({
      swagger: '2.0',
      info: { title: 'Kubernetes', version: SERVER_VERSION.gitVersion },
      paths: {},
      definitions: componentSchemas(this.infos, 'v2'),
    });
    return this.v2;
  }

  /** The same v2 document as an openapi.v2.Document message (served with the JSON's ETag). */
  v2Protobuf(): Uint8Array {
    this.v2Proto ??= encodeOpenApiV2(JSON.parse(this.v2Document().body) as Record<string, unknown>);
    return this.v2Proto;
  }
}
