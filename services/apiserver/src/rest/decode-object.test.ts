import { findResource } from '@tkube/api';
import { describe, expect, it } from 'vitest';
import { decodeObject } from './decode-object.js';

const deployments = findResource('apps', 'v1', 'deployments')!;
const body = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value));

describe('decodeObject', () => {
  it('defaults apiVersion and kind from the path and reads YAML', () => {
    const { object } = decodeObject(deployments, body('metadata:\n  name: web\n'), 'application/yaml', 'Strict');
    expect(object).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' } });
  });

  it('refuses another group version or kind', () => {
    expect(() =>
      decodeObject(deployments, body({ apiVersion: 'v1', kind: 'Deployment' }), undefined, 'Strict'),
    ).toThrow('the API version in the data (v1) does not match the expected API version (apps/v1)');
    expect(() =>
      decodeObject(deployments, body({ apiVersion: 'apps/v1', kind: 'ReplicaSet' }), undefined, 'Strict'),
    ).toThrow(/ReplicaSet in version "v1" cannot be handled as a Deployment/);
  });

  it('applies fieldValidation: Strict fails, Warn warns and drops, Ignore drops silently', () => {
    const withUnknown = { metadata: { name: 'web' }, spec: { replicaz: 2 } };
    expect(() => decodeObject(deployments, body(withUnknown), undefined, 'Strict')).toThrow(
      'Deployment in version "v1" cannot be handled as a Deployment: strict decoding error: unknown field "spec.replicaz"',
    );
    const warned = decodeObject(deployments, body(withUnknown), undefined, 'Warn');
    expect(warned.warnings).toEqual(['unknown field "spec.replicaz"']);
    expect(warned.object.spec).toEqual({});
    const ignored = decodeObject(deployments, body(withUnknown), undefined, 'Ignore');
    expect(ignored.warnings).toEqual([]);
    expect(ignored.object.spec).toEqual({});
  });

  it('reports duplicate fields and wrong value types', () => {
    expect(() => decodeObject(deployments, body('{"metadata":{"name":"a","name":"b"}}'), undefined, 'Strict')).toThrow(
      'strict decoding error: duplicate field "metadata.name"',
    );
    expect(() => decodeObject(deployments, body({ spec: { replicas: '3' } }), undefined, 'Ignore')).toThrow(
      /cannot unmarshal string into Go struct field Deployment.spec.replicas of type int32/,
    );
  });

  it('explains unreadable bodies as kube does', () => {
    expect(() => decodeObject(deployments, body('{"kind":'), undefined, 'Strict')).toThrow(
      /the object provided is unrecognized \(must be of type Deployment\): couldn't get version\/kind; json parse error/,
    );
  });
});
