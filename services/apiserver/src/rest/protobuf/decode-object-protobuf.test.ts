/** A protobuf body goes through the same checks as JSON once decoded (decode-object.ts). */
import { findResource } from '@tkube/api';
import { describe, expect, it } from 'vitest';
import { bodyEncoding } from '../decode.js';
import { decodeObject } from '../decode-object.js';
import { PROTOBUF_MAGIC } from './envelope.js';
import { kubectlObjectMeta, kubernetesBody, writer } from './testing/message-writer.js';

const PROTOBUF = 'application/vnd.kubernetes.protobuf';
const deployments = findResource('apps', 'v1', 'deployments');
const configmaps = findResource('', 'v1', 'configmaps');

describe('decodeObject with protobuf bodies', () => {
  it('recognizes the protobuf media type, with or without parameters', () => {
    expect(bodyEncoding(PROTOBUF)).toBe('protobuf');
    expect(bodyEncoding(`${PROTOBUF}; charset=binary`)).toBe('protobuf');
    expect(() => bodyEncoding('application/x-protobuf')).toThrow(/unknown format/);
  });

  it('decodes the object and validates it like JSON', () => {
    if (!deployments) throw new Error('no deployments resource');
    const deployment = writer()
      .message(1, kubectlObjectMeta('web'))
      .message(2, (spec) => spec.varint(1, 0).message(2, (selector) => selector.entry(1, 'app', 'web')));
    const { object, warnings } = decodeObject(
      deployments,
      kubernetesBody('apps/v1', 'Deployment', deployment),
      PROTOBUF,
      'Strict',
    );
    expect(object).toEqual({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web' },
      spec: { replicas: 0, selector: { matchLabels: { app: 'web' } } },
    });
    expect(warnings).toEqual([]);
  });

  it('takes the kind from the path when the envelope has none', () => {
    if (!configmaps) throw new Error('no configmaps resource');
    const body = Buffer.concat([
      PROTOBUF_MAGIC,
      writer()
        .message(2, writer().message(1, kubectlObjectMeta('c')))
        .finish(),
    ]);
    expect(decodeObject(configmaps, body, PROTOBUF, 'Strict').object).toEqual({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'c' },
    });
  });

  it('refuses an object of another kind than the path, as for JSON', () => {
    if (!deployments) throw new Error('no deployments resource');
    const body = kubernetesBody('v1', 'ConfigMap', writer().message(1, kubectlObjectMeta('c')));
    expect(() => decodeObject(deployments, body, PROTOBUF, 'Strict')).toThrow(
      'the API version in the data (v1) does not match the expected API version (apps/v1)',
    );
  });
});
