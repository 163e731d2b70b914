/** /openapi/v2 through the REST server: JSON, or gnostic protobuf when kubectl asks for it. */
import { readFileSync } from 'node:fs';
import { request } from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeOpenApiV2, extension, named } from './testing/openapi-v2-proto.js';
import { startTestServer, TEST_TOKEN, type TestServer } from './testing/test-server.js';

interface BinaryResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

const KUBECTL_ACCEPT = 'application/com.github.proto-openapi.spec.v2@v1.0+protobuf';

describe('GET /openapi/v2', () => {
  let t: TestServer;
  let ca: string;
  const get = (headers: Record<string, string>) =>
    new Promise<BinaryResponse>((resolve, reject) => {
      const url = new URL('/openapi/v2', t.server.url);
      const req = request(url, { headers: { authorization: `Bearer ${TEST_TOKEN}`, ...headers }, ca }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
        );
        res.on('error', reject);
      });
      req.setTimeout(15_000, () => req.destroy(new Error('request timed out')));
      req.on('error', reject);
      req.end();
    });

  beforeAll(async () => {
    t = await startTestServer();
    ca = readFileSync(t.caFile, 'utf8');
  });
  afterAll(async () => {
    await t?.close();
  });

  it('answers kubectl with the protobuf document, whose definitions carry group-version-kinds', async () => {
    const res = await get({ accept: KUBECTL_ACCEPT });
    expect(res.status).toBe(200);
    // The dotted spelling, as kube-apiserver answers: Go's mime parser rejects the '@' one.
    expect(res.headers['content-type']).toBe('application/com.github.proto-openapi.spec.v2.v1.0+protobuf');
    expect(res.headers.vary).toBe('Accept');
    const doc = decodeOpenApiV2(res.body);
    expect(doc.swagger).toBe('2.0');
    const configMap = named<{ vendor_extension: []; properties: { additional_properties: [] } }>(
      doc.definitions.additional_properties,
      'io.k8s.api.core.v1.ConfigMap',
    );
    expect(extension(configMap?.vendor_extension, 'x-kubernetes-group-version-kind')).toEqual([
      { group: '', kind: 'ConfigMap', version: 'v1' },
    ]);
    expect(named(configMap?.properties.additional_properties, 'metadata')).toMatchObject({
      _ref: '#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta',
    });
  });

  it('still serves JSON, with the same ETag, and 304 to a client holding it', async () => {
    const json = await get({ accept: 'application/json' });
    expect(json.status).toBe(200);
    expect(json.headers['content-type']).toBe('application/json');
    expect(JSON.parse(json.body.toString('utf8')).swagger).toBe('2.0');
    const proto = await get({ accept: KUBECTL_ACCEPT });
    expect(json.headers.etag).toMatch(/^"[0-9A-F]{128}"$/);
    expect(proto.headers.etag).toBe(json.headers.etag);
    const again = await get({ accept: KUBECTL_ACCEPT, 'if-none-match': String(proto.headers.etag) });
    expect(again.status).toBe(304);
    expect(again.body.length).toBe(0);
  });

  it('refuses a media type it cannot produce with 406', async () => {
    const res = await get({ accept: 'application/yaml' });
    expect(res.status).toBe(406);
    expect(JSON.parse(res.body.toString('utf8')).reason).toBe('NotAcceptable');
  });
});
