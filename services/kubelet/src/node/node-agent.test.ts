import type { KubeObject, Lease, Node } from '@tkube/api';
import { StatusError } from '@tkube/api';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import type { HostInfo } from './host-info.js';
import { goArch, memTotalKi, prettyName } from './host-info.js';
import { NodeAgent, type NodeApi } from './node-agent.js';

const host: HostInfo = {
  cpuCores: 2,
  memoryKi: 4_000_000,
  ephemeralStorageKi: 50_000_000,
  osImage: 'Debian GNU/Linux 12 (bookworm)',
  kernelVersion: '6.1.0',
  architecture: 'amd64',
  operatingSystem: 'linux',
  machineID: 'm',
  systemUUID: 'm',
  bootID: 'b',
};

function fakeApi() {
  const objects = new Map<string, KubeObject>();
  const statusPosts: unknown[] = [];
  const key = (resource: string, name: string) => `${resource}/${name}`;
  const api: NodeApi = {
    get: async <T>(t: { resource: string }, name: string) => {
      const o = objects.get(key(t.resource, name));
      if (!o) throw StatusError.notFound({ group: '', resource: t.resource, name });
      return structuredClone(o) as T;
    },
    create: async <T>(t: { resource: string }, object: T) => {
      const o = object as KubeObject;
      const name = o.metadata?.name ?? '';
      if (objects.has(key(t.resource, name)))
        throw StatusError.alreadyExists({ group: '', resource: t.resource, name });
      const stored = { ...o, metadata: { ...o.metadata, uid: `uid-${name}` } };
      objects.set(key(t.resource, name), stored);
      return stored as T;
    },
    update: async <T>(t: { resource: string }, object: T) => {
      const o = object as KubeObject;
      objects.set(key(t.resource, o.metadata?.name ?? ''), o);
      return object;
    },
    patch: async <T>(t: { resource: string }, name: string, _type: 'merge', patch: unknown) => {
      statusPosts.push(patch);
      const o = objects.get(key(t.resource, name)) as Node;
      const stored = { ...o, status: (patch as { status: Node['status'] }).status };
      objects.set(key(t.resource, name), stored);
      return stored as T;
    },
  };
  return { api, objects, statusPosts };
}

describe('NodeAgent', () => {
  it('registers the node with capacity, addresses, labels, nodeInfo and kube conditions', async () => {
    const { api, objects } = fakeApi();
    let ready = false;
    const events: string[] = [];
    const agent = new NodeAgent({
      recorder: { event: (object, _type, reason, message) => events.push(`${object.kind}/${reason}: ${message}`) },
      api,
      facts: {
        nodeName: 'node-1',
        nodeIp: '127.0.0.1',
        podCidr: '10.244.1.0/24',
        kubeletPort: 10250,
        maxPods: 110,
        host,
        containerRuntimeVersion: 'docker://20.10.24',
      },
      readiness: async () =>
        ready ? { ready: true } : { ready: false, message: 'container runtime network not ready' },
      leaseDurationSeconds: 40,
      logger: pino({ level: 'silent' }),
    });
    await agent.register();
    const node = objects.get('nodes/node-1') as Node;
    expect(node.metadata?.labels).toMatchObject({
      'kubernetes.io/hostname': 'node-1',
      'kubernetes.io/os': 'linux',
      'kubernetes.io/arch': 'amd64',
    });
    expect(node.spec).toEqual({ podCIDR: '10.244.1.0/24', podCIDRs: ['10.244.1.0/24'] });
    expect(node.status).toMatchObject({
      capacity: { cpu: '2', memory: '4000000Ki', pods: '110', 'ephemeral-storage': '50000000Ki' },
      addresses: [
        { type: 'InternalIP', address: '127.0.0.1' },
        { type: 'Hostname', address: 'node-1' },
      ],
      daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
      nodeInfo: {
        kubeletVersion: 'v1.35.0-tkube',
        containerRuntimeVersion: 'docker://20.10.24',
        architecture: 'amd64',
      },
    });
    const conditions = Object.fromEntries((node.status?.conditions ?? []).map((c) => [c.type, [c.status, c.reason]]));
    expect(conditions).toEqual({
      MemoryPressure: ['False', 'KubeletHasSufficientMemory'],
      DiskPressure: ['False', 'KubeletHasNoDiskPressure'],
      PIDPressure: ['False', 'KubeletHasSufficientPID'],
      Ready: ['False', 'KubeletNotReady'],
    });

    ready = true;
    expect(await agent.postStatus(false)).toBe(true);
    const readyCondition = (objects.get('nodes/node-1') as Node).status?.conditions?.find((c) => c.type === 'Ready');
    expect(readyCondition).toMatchObject({
      status: 'True',
      reason: 'KubeletReady',
      message: 'kubelet is posting ready status',
    });
    // Nothing changed but the heartbeat: nothing is posted.
    expect(await agent.postStatus(false)).toBe(false);
    expect(events).toEqual([
      'Node/Starting: Starting kubelet.',
      'Node/NodeNotReady: Node node-1 status is now: NodeNotReady',
      'Node/NodeReady: Node node-1 status is now: NodeReady',
    ]);
  });

  it('creates, then renews, the node lease owned by the node', async () => {
    const { api, objects } = fakeApi();
    let now = new Date('2025-01-01T00:00:00Z');
    const agent = new NodeAgent({
      api,
      facts: {
        nodeName: 'node-1',
        nodeIp: '127.0.0.1',
        kubeletPort: 10250,
        maxPods: 110,
        host,
        containerRuntimeVersion: 'docker://x',
      },
      readiness: async () => ({ ready: true }),
      leaseDurationSeconds: 40,
      logger: pino({ level: 'silent' }),
      now: () => now,
    });
    await agent.register();
    await agent.renewLease();
    let lease = objects.get('leases/node-1') as Lease;
    expect(lease.metadata?.namespace).toBe('kube-node-lease');
    expect(lease.metadata?.ownerReferences).toEqual([
      { apiVersion: 'v1', kind: 'Node', name: 'node-1', uid: 'uid-node-1' },
    ]);
    expect(lease.spec).toEqual({
      holderIdentity: 'node-1',
      leaseDurationSeconds: 40,
      renewTime: '2025-01-01T00:00:00.000000Z',
    });
    now = new Date('2025-01-01T00:00:10Z');
    await agent.renewLease();
    lease = objects.get('leases/node-1') as Lease;
    expect(lease.spec?.renewTime).toBe('2025-01-01T00:00:10.000000Z');
  });

  it('re-registers over an existing node, keeping its podCIDR', async () => {
    const { api, objects } = fakeApi();
    objects.set('nodes/node-1', {
      metadata: { name: 'node-1', labels: { custom: 'x' } },
      spec: { podCIDR: '10.244.7.0/24' },
    });
    const agent = new NodeAgent({
      api,
      facts: {
        nodeName: 'node-1',
        nodeIp: '127.0.0.1',
        podCidr: '10.244.1.0/24',
        kubeletPort: 10250,
        maxPods: 110,
        host,
        containerRuntimeVersion: 'docker://x',
      },
      readiness: async () => ({ ready: true }),
      leaseDurationSeconds: 40,
      logger: pino({ level: 'silent' }),
    });
    await agent.register();
    const node = objects.get('nodes/node-1') as Node;
    expect(node.spec?.podCIDR).toBe('10.244.7.0/24');
    expect(node.metadata?.labels).toMatchObject({ custom: 'x', 'kubernetes.io/hostname': 'node-1' });
  });
});

describe('host info parsing', () => {
  it('reads MemTotal, PRETTY_NAME and maps the architecture', () => {
    expect(memTotalKi('MemTotal:        8039412 kB\nMemFree: 1 kB\n')).toBe(8_039_412);
    expect(prettyName('NAME="Debian"\nPRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\n')).toBe(
      'Debian GNU/Linux 12 (bookworm)',
    );
    expect(goArch('x64')).toBe('amd64');
  });
});
