import { describe, expect, it } from 'vitest';
import { StatusError } from './errors.js';
import { checkFieldSelector, parseFieldSelector, selectableFields } from './field-selector.js';
import { findKind, type ResourceInfo } from './resources.js';

function info(apiVersion: string, kind: string): ResourceInfo {
  const found = findKind(apiVersion, kind);
  if (!found) throw new Error(`no ${kind} in the catalog`);
  return found;
}

describe('parseFieldSelector', () => {
  it('parses requirements, sorted by their text', () => {
    const selector = parseFieldSelector('status.phase!=Failed,metadata.name==web,spec.nodeName=node-1');
    expect(selector.requirements).toEqual([
      { field: 'metadata.name', operator: '==', value: 'web' },
      { field: 'spec.nodeName', operator: '=', value: 'node-1' },
      { field: 'status.phase', operator: '!=', value: 'Failed' },
    ]);
    expect(String(selector)).toBe('metadata.name=web,spec.nodeName=node-1,status.phase!=Failed');
  });

  it('treats the empty selector and empty terms as no restriction', () => {
    expect(parseFieldSelector('').empty()).toBe(true);
    expect(parseFieldSelector(',').empty()).toBe(true);
    expect(parseFieldSelector('a=b,').requirements).toHaveLength(1);
  });

  it('accepts empty values and unescapes escaped ones', () => {
    expect(parseFieldSelector('spec.nodeName=').requirements).toEqual([
      { field: 'spec.nodeName', operator: '=', value: '' },
    ]);
    const selector = parseFieldSelector('a=x\\,y\\=z\\\\');
    expect(selector.requirements).toEqual([{ field: 'a', operator: '=', value: 'x,y=z\\' }]);
    expect(String(selector)).toBe('a=x\\,y\\=z\\\\');
  });

  it('splits at the first operator', () => {
    expect(parseFieldSelector('a!=b').requirements[0]).toEqual({ field: 'a', operator: '!=', value: 'b' });
    expect(parseFieldSelector('a==b').requirements[0]).toEqual({ field: 'a', operator: '==', value: 'b' });
  });

  it('matches, a missing field counting as empty', () => {
    const running = parseFieldSelector('status.phase=Running');
    expect(running.matches({ 'status.phase': 'Running' })).toBe(true);
    expect(running.matches({ 'status.phase': 'Pending' })).toBe(false);
    expect(running.matches({})).toBe(false);
    expect(parseFieldSelector('spec.nodeName=').matches({})).toBe(true);
    expect(parseFieldSelector('spec.nodeName!=').matches({ 'spec.nodeName': 'n1' })).toBe(true);
    expect(parseFieldSelector('spec.nodeName!=n1').matches({})).toBe(true);
    expect(parseFieldSelector('a=1,b=2').matches({ a: '1', b: '2' })).toBe(true);
    expect(parseFieldSelector('a=1,b=2').matches({ a: '1', b: '3' })).toBe(false);
    expect(parseFieldSelector('constructor=').matches({})).toBe(true);
  });

  it.each([
    ['status.phase', "invalid selector: 'status.phase'; can't understand 'status.phase'"],
    ['a=b,c', "invalid selector: 'a=b,c'; can't understand 'c'"],
    ['a=b=c', 'invalid field selector: unescaped character in value: ='],
    ['a=b\\', 'invalid field selector: invalid escape sequence: \\'],
    ['a=b\\n', 'invalid field selector: invalid escape sequence: \\n'],
  ])('rejects %j', (input, message) => {
    try {
      parseFieldSelector(input);
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(StatusError);
      expect((err as StatusError).code).toBe(400);
      expect((err as StatusError).message).toBe(message);
    }
  });
});

describe('selectableFields', () => {
  it('offers the pod fields', () => {
    const pod = {
      metadata: { name: 'web-1', namespace: 'prod' },
      spec: {
        nodeName: 'node-a',
        restartPolicy: 'Always',
        schedulerName: 'default-scheduler',
        serviceAccountName: 'default',
      },
      status: { phase: 'Running', podIP: '10.244.0.5', podIPs: [{ ip: '10.244.0.5' }] },
    };
    expect(selectableFields(info('v1', 'Pod'), pod)).toEqual({
      'metadata.name': 'web-1',
      'metadata.namespace': 'prod',
      'spec.nodeName': 'node-a',
      'spec.restartPolicy': 'Always',
      'spec.schedulerName': 'default-scheduler',
      'spec.serviceAccountName': 'default',
      'spec.hostNetwork': 'false',
      'status.phase': 'Running',
      'status.podIP': '10.244.0.5',
      'status.nominatedNodeName': '',
    });
  });

  it('fills missing pod fields with empty strings and defaults', () => {
    const fields = selectableFields(info('v1', 'Pod'), { metadata: { name: 'p' }, spec: { hostNetwork: true } });
    expect(fields['spec.nodeName']).toBe('');
    expect(fields['spec.hostNetwork']).toBe('true');
    expect(fields['status.podIP']).toBe('');
    expect(fields['metadata.namespace']).toBe('');
  });

  it('offers the event fields, source falling back to the reporting controller', () => {
    const event = {
      metadata: { name: 'e', namespace: 'default' },
      involvedObject: {
        kind: 'Pod',
        name: 'web-1',
        namespace: 'default',
        uid: 'u1',
        apiVersion: 'v1',
        fieldPath: 'spec.containers{app}',
      },
      reason: 'Scheduled',
      reportingComponent: 'default-scheduler',
      type: 'Normal',
    };
    const fields = selectableFields(info('v1', 'Event'), event);
    expect(fields).toMatchObject({
      'involvedObject.kind': 'Pod',
      'involvedObject.name': 'web-1',
      'involvedObject.uid': 'u1',
      'involvedObject.resourceVersion': '',
      'involvedObject.fieldPath': 'spec.containers{app}',
      reason: 'Scheduled',
      reportingComponent: 'default-scheduler',
      source: 'default-scheduler',
      type: 'Normal',
    });
    expect(selectableFields(info('v1', 'Event'), { ...event, source: { component: 'kubelet' } }).source).toBe(
      'kubelet',
    );
  });

  it('offers the fields of the other kinds', () => {
    expect(selectableFields(info('v1', 'Node'), { metadata: { name: 'n' }, spec: { unschedulable: true } })).toEqual({
      'metadata.name': 'n',
      'spec.unschedulable': 'true',
    });
    expect(
      selectableFields(info('v1', 'Secret'), { metadata: { name: 's', namespace: 'd' }, type: 'Opaque' }).type,
    ).toBe('Opaque');
    expect(selectableFields(info('v1', 'Namespace'), { metadata: { name: 'd' }, status: { phase: 'Active' } })).toEqual(
      {
        'metadata.name': 'd',
        'status.phase': 'Active',
      },
    );
    expect(
      selectableFields(info('apps/v1', 'ReplicaSet'), { metadata: { name: 'r' }, status: { replicas: 3 } })[
        'status.replicas'
      ],
    ).toBe('3');
    expect(selectableFields(info('apps/v1', 'ReplicaSet'), { metadata: { name: 'r' } })['status.replicas']).toBe('0');
    expect(
      selectableFields(info('batch/v1', 'Job'), { metadata: { name: 'j' }, status: { succeeded: 2 } })[
        'status.successful'
      ],
    ).toBe('2');
    expect(
      selectableFields(info('v1', 'Service'), {
        metadata: { name: 's', namespace: 'd' },
        spec: { clusterIP: '10.96.0.1', type: 'ClusterIP' },
      }),
    ).toMatchObject({ 'spec.clusterIP': '10.96.0.1', 'spec.type': 'ClusterIP' });
    expect(selectableFields(info('v1', 'ConfigMap'), { metadata: { name: 'c', namespace: 'd' }, data: {} })).toEqual({
      'metadata.name': 'c',
      'metadata.namespace': 'd',
    });
  });
});

describe('checkFieldSelector', () => {
  it('accepts the fields a kind offers', () => {
    expect(() =>
      checkFieldSelector(info('v1', 'Pod'), parseFieldSelector('spec.nodeName=n,status.phase!=Failed')),
    ).not.toThrow();
    expect(() =>
      checkFieldSelector(info('v1', 'ConfigMap'), parseFieldSelector('metadata.name=a,metadata.namespace=b')),
    ).not.toThrow();
    expect(() => checkFieldSelector(info('v1', 'Event'), parseFieldSelector('involvedObject.name=x'))).not.toThrow();
  });

  it('refuses other fields as kube-apiserver does', () => {
    expect(() => checkFieldSelector(info('v1', 'ConfigMap'), parseFieldSelector('spec.nodeName=n'))).toThrow(
      new StatusError(400, 'BadRequest', 'field label not supported: spec.nodeName'),
    );
    expect(() => checkFieldSelector(info('v1', 'Node'), parseFieldSelector('metadata.namespace=x'))).toThrow(
      'field label not supported: metadata.namespace',
    );
    expect(() => checkFieldSelector(info('v1', 'Pod'), parseFieldSelector('spec.unschedulable=true'))).toThrow(
      'field label not supported: spec.unschedulable',
    );
  });
});
