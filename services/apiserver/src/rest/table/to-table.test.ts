import { findResource, type KubeObject } from '@tkube/api';
import { describe, expect, it } from 'vitest';
import { humanDuration } from './human-duration.js';
import { toTable } from './to-table.js';

const NOW = Date.parse('2025-01-01T12:00:00Z');
const ago = (seconds: number) => new Date(NOW - seconds * 1000).toISOString();
const info = (group: string, resource: string) => findResource(group, 'v1', resource)!;

function row(group: string, resource: string, object: KubeObject) {
  const table = toTable(info(group, resource), [object], { tableVersion: 'v1', includeObject: 'Metadata', now: NOW });
  const names = table.columnDefinitions.map((c) => c.name);
  return Object.fromEntries(names.map((name, i) => [name, table.rows[0].cells[i]]));
}

describe('humanDuration', () => {
  it('prints ages as kubectl does', () => {
    expect(humanDuration(5_000)).toBe('5s');
    expect(humanDuration(119_000)).toBe('119s');
    expect(humanDuration(200_000)).toBe('3m20s');
    expect(humanDuration(15 * 60_000)).toBe('15m');
    expect(humanDuration(5 * 3600_000 + 60_000)).toBe('5h1m');
    expect(humanDuration(30 * 3600_000)).toBe('30h');
    expect(humanDuration(3 * 86400_000 + 3600_000)).toBe('3d1h');
    expect(humanDuration(100 * 86400_000)).toBe('100d');
    expect(humanDuration(-5_000)).toBe('<invalid>');
  });
});

describe('toTable', () => {
  it('prints a Table with PartialObjectMetadata rows by default', () => {
    const table = toTable(
      info('', 'configmaps'),
      [{ metadata: { name: 'c', creationTimestamp: ago(30) }, data: { a: '1' } }],
      {
        tableVersion: 'v1',
        includeObject: 'Metadata',
        listMeta: { resourceVersion: '9' },
        now: NOW,
      },
    );
    expect(table).toMatchObject({ kind: 'Table', apiVersion: 'meta.k8s.io/v1', metadata: { resourceVersion: '9' } });
    expect(table.columnDefinitions.map((c) => c.name)).toEqual(['Name', 'Data', 'Age']);
    expect(table.rows[0]).toEqual({
      cells: ['c', 1, '30s'],
      object: {
        kind: 'PartialObjectMetadata',
        apiVersion: 'meta.k8s.io/v1',
        metadata: { name: 'c', creationTimestamp: ago(30) },
      },
    });
  });

  it('includes the whole object or none on request', () => {
    const object = { metadata: { name: 'c' }, data: {} };
    const full = toTable(info('', 'configmaps'), [object], { tableVersion: 'v1', includeObject: 'Object' });
    expect(full.rows[0].object).toBe(object);
    const none = toTable(info('', 'configmaps'), [object], { tableVersion: 'v1', includeObject: 'None' });
    expect(none.rows[0].object).toBeUndefined();
  });

  it('prints deployments with ready/desired and wide columns', () => {
    const deployment = {
      metadata: { name: 'web', creationTimestamp: ago(90) },
      spec: {
        replicas: 3,
        selector: {
          matchLabels: { app: 'web' },
          matchExpressions: [{ key: 'tier', operator: 'In', values: ['b', 'a'] }],
        },
        template: {
          spec: {
            containers: [
              { name: 'a', image: 'busybox:1.35' },
              { name: 'b', image: 'nginx' },
            ],
          },
        },
      },
      status: { readyReplicas: 2, updatedReplicas: 3, availableReplicas: 2 },
    };
    expect(row('apps', 'deployments', deployment)).toEqual({
      Name: 'web',
      Ready: '2/3',
      'Up-to-date': 3,
      Available: 2,
      Age: '90s',
      Containers: 'a,b',
      Images: 'busybox:1.35,nginx',
      Selector: 'app=web,tier in (a,b)',
    });
  });

  it('prints pod status like kubectl: waiting reasons, restarts, terminating', () => {
    const pod = {
      metadata: { name: 'p', creationTimestamp: ago(600) },
      spec: { containers: [{ name: 'a' }, { name: 'b' }], nodeName: 'node-1' },
      status: {
        phase: 'Running',
        podIP: '10.244.0.5',
        containerStatuses: [
          { name: 'a', ready: true, restartCount: 0, state: { running: {} } },
          {
            name: 'b',
            ready: false,
            restartCount: 3,
            state: { waiting: { reason: 'CrashLoopBackOff' } },
            lastState: { terminated: { finishedAt: ago(65) } },
          },
        ],
      },
    };
    expect(row('', 'pods', pod)).toEqual({
      Name: 'p',
      Ready: '1/2',
      Status: 'CrashLoopBackOff',
      Restarts: '3 (65s ago)',
      Age: '10m',
      IP: '10.244.0.5',
      Node: 'node-1',
      'Nominated Node': '<none>',
      'Readiness Gates': '<none>',
    });
    const pending = { metadata: { name: 'q' }, spec: { containers: [{ name: 'a' }] }, status: { phase: 'Pending' } };
    expect(row('', 'pods', pending)).toMatchObject({
      Ready: '0/1',
      Status: 'Pending',
      Restarts: '0',
      Age: '<unknown>',
      IP: '<none>',
    });
    const deleting = { ...pending, metadata: { name: 'q', deletionTimestamp: ago(1) } };
    expect(row('', 'pods', deleting).Status).toBe('Terminating');
    const initializing = {
      metadata: { name: 'i' },
      spec: { initContainers: [{ name: 'init' }], containers: [{ name: 'a' }] },
      status: { phase: 'Pending', initContainerStatuses: [{ name: 'init', state: { running: {} } }] },
    };
    expect(row('', 'pods', initializing).Status).toBe('Init:0/1');
  });

  it('prints services, nodes and events', () => {
    const service = {
      metadata: { name: 's' },
      spec: {
        type: 'NodePort',
        clusterIP: '10.96.0.12',
        clusterIPs: ['10.96.0.12'],
        selector: { app: 'web' },
        ports: [
          { port: 80, nodePort: 30080, protocol: 'TCP' },
          { port: 53, protocol: 'UDP' },
        ],
      },
    };
    expect(row('', 'services', service)).toMatchObject({
      Type: 'NodePort',
      'Cluster-IP': '10.96.0.12',
      'External-IP': '<none>',
      'Port(s)': '80:30080/TCP,53/UDP',
      Selector: 'app=web',
    });
    const node = {
      metadata: { name: 'n', labels: { 'node-role.kubernetes.io/control-plane': '' } },
      spec: { unschedulable: true },
      status: {
        conditions: [{ type: 'Ready', status: 'True' }],
        nodeInfo: { kubeletVersion: 'v1.35.0-tkube' },
        addresses: [{ type: 'InternalIP', address: '10.0.0.1' }],
      },
    };
    expect(row('', 'nodes', node)).toMatchObject({
      Status: 'Ready,SchedulingDisabled',
      Roles: 'control-plane',
      Version: 'v1.35.0-tkube',
      'Internal-IP': '10.0.0.1',
      'External-IP': '<none>',
    });
    const event = {
      metadata: { name: 'e1' },
      involvedObject: { kind: 'Pod', name: 'web-1' },
      reason: 'Scheduled',
      type: 'Normal',
      message: 'Successfully assigned default/web-1 to node-1 ',
      firstTimestamp: ago(120),
      lastTimestamp: ago(60),
      count: 2,
      source: { component: 'default-scheduler' },
    };
    expect(row('', 'events', event)).toEqual({
      'Last Seen': '60s',
      Type: 'Normal',
      Reason: 'Scheduled',
      Object: 'pod/web-1',
      Subobject: '',
      Source: 'default-scheduler',
      Message: 'Successfully assigned default/web-1 to node-1',
      'First Seen': '2m',
      Count: 2,
      Name: 'e1',
    });
  });

  it('prints NAME and AGE for kinds without their own columns', () => {
    const table = toTable(
      findResource('storage.k8s.io', 'v1', 'storageclasses')!,
      [{ metadata: { name: 'fast', creationTimestamp: ago(5) } }],
      {
        tableVersion: 'v1',
        includeObject: 'None',
        now: NOW,
      },
    );
    expect(table.columnDefinitions.map((c) => c.name)).toEqual(['Name', 'Age']);
    expect(table.rows[0].cells).toEqual(['fast', '5s']);
  });
});
