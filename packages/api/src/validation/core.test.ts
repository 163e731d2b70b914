import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../types.js';
import { createCauses, summary, updateCauses } from './testdata/helpers.js';
import { gameDemoConfigMap, livenessPod, myService } from './testdata/manifests.js';

describe('Service validation', () => {
  it('accepts the Service from the docs', () => {
    expect(createCauses(myService())).toEqual([]);
  });

  it('requires ports, and names for each of several ports', () => {
    const noPorts = myService();
    noPorts.spec!.ports = [];
    expect(summary(createCauses(noPorts))).toEqual(['spec.ports: FieldValueRequired']);
    const twoPorts = myService();
    twoPorts.spec!.ports = [{ port: 80 }, { port: 443, name: 'https' }];
    expect(summary(createCauses(twoPorts))).toEqual(['spec.ports[0].name: FieldValueRequired']);
  });

  it('lets a headless service go without ports', () => {
    const headless = myService();
    headless.spec = { clusterIP: 'None', selector: { app: 'db' } };
    expect(createCauses(headless)).toEqual([]);
  });

  it('refuses bad ports, types and cluster IPs', () => {
    const service = myService();
    service.spec = {
      type: 'Sometimes',
      clusterIP: '10.96.0.300',
      ports: [{ port: 0, protocol: 'ICMP', targetPort: 'Web_Port' }],
    };
    expect(createCauses(service)).toEqual([
      {
        reason: 'FieldValueInvalid',
        field: 'spec.ports[0].port',
        message: 'Invalid value: 0: must be between 1 and 65535, inclusive',
      },
      {
        reason: 'FieldValueNotSupported',
        field: 'spec.ports[0].protocol',
        message: 'Unsupported value: "ICMP": supported values: "SCTP", "TCP", "UDP"',
      },
      expect.objectContaining({ field: 'spec.ports[0].targetPort', reason: 'FieldValueInvalid' }),
      {
        reason: 'FieldValueNotSupported',
        field: 'spec.type',
        message:
          'Unsupported value: "Sometimes": supported values: "ClusterIP", "ExternalName", "LoadBalancer", "NodePort"',
      },
      {
        reason: 'FieldValueInvalid',
        field: 'spec.clusterIPs[0]',
        message: 'Invalid value: "10.96.0.300": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)',
      },
    ]);
  });

  it("keeps node ports to port numbers (the range is the allocator's) and off ClusterIP services", () => {
    const nodePort = myService();
    nodePort.spec!.type = 'NodePort';
    nodePort.spec!.ports![0]!.nodePort = 70000;
    expect(createCauses(nodePort)).toEqual([
      {
        reason: 'FieldValueInvalid',
        field: 'spec.ports[0].nodePort',
        message: 'Invalid value: 70000: must be between 1 and 65535, inclusive',
      },
    ]);
    const clusterIP = myService();
    clusterIP.spec!.ports![0]!.nodePort = 30080;
    expect(summary(createCauses(clusterIP))).toEqual(['spec.ports[0].nodePort: FieldValueForbidden']);
  });

  it('checks selector labels', () => {
    const service = myService();
    service.spec!.selector = { app: 'has spaces' };
    expect(summary(createCauses(service))).toEqual(['spec.selector: FieldValueInvalid']);
  });

  it('keeps an allocated cluster IP', () => {
    const old = myService();
    old.spec!.clusterIP = '10.96.0.12';
    const moved = myService();
    moved.spec!.clusterIP = '10.96.0.13';
    expect(summary(updateCauses(moved, old))).toEqual([
      'spec.clusterIP: FieldValueInvalid',
      'spec.clusterIPs[0]: FieldValueInvalid',
    ]);
    expect(updateCauses(myService(), old)).toEqual([]);
  });

  it('refuses a Service name that is not a DNS-1035 label', () => {
    const service = myService();
    service.metadata!.name = '8080-svc';
    expect(summary(createCauses(service))).toEqual(['metadata.name: FieldValueInvalid']);
  });
});

describe('ConfigMap and Secret validation', () => {
  it('accepts the game-demo ConfigMap from the docs', () => {
    expect(createCauses(gameDemoConfigMap())).toEqual([]);
  });

  it('refuses keys that cannot be file names, and more than 1 MiB', () => {
    const configMap = gameDemoConfigMap();
    configMap.data = { 'bad/key': 'x', big: 'x'.repeat(1024 * 1024 + 1) };
    expect(createCauses(configMap)).toEqual([
      expect.objectContaining({ reason: 'FieldValueInvalid', field: 'data[bad/key]' }),
      { reason: 'FieldValueTooLong', field: '', message: 'Too long: must have at most 1048576 bytes' },
    ]);
  });

  it('freezes the data of an immutable ConfigMap', () => {
    const old = gameDemoConfigMap();
    old.immutable = true;
    const changed = gameDemoConfigMap();
    changed.immutable = true;
    changed.data!.player_initial_lives = '5';
    expect(updateCauses(changed, old)).toEqual([
      {
        reason: 'FieldValueForbidden',
        field: 'data',
        message: 'Forbidden: field is immutable when `immutable` is set',
      },
    ]);
  });

  it('requires the keys of a TLS secret and keeps the type fixed', () => {
    const secret: KubeObject = {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'tls', namespace: 'default' },
      type: 'kubernetes.io/tls',
      data: {},
    };
    expect(summary(createCauses(secret))).toEqual([
      'data[tls.crt]: FieldValueRequired',
      'data[tls.key]: FieldValueRequired',
    ]);
    const old: KubeObject = {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 's', namespace: 'default' },
      stringData: { a: 'b' },
    };
    const retyped: KubeObject = {
      ...structuredClone(old),
      type: 'kubernetes.io/basic-auth',
      stringData: { username: 'u' },
    };
    expect(summary(updateCauses(retyped, old))).toEqual(['type: FieldValueInvalid']);
  });
});

describe('Pod validation', () => {
  it('accepts the liveness pod', () => {
    expect(createCauses(livenessPod())).toEqual([]);
  });

  it('requires containers and refuses unknown policies', () => {
    const pod = livenessPod();
    pod.spec = { containers: [], restartPolicy: 'Sometimes', dnsPolicy: 'Nearest' };
    expect(createCauses(pod)).toEqual([
      { reason: 'FieldValueRequired', field: 'spec.containers', message: 'Required value' },
      {
        reason: 'FieldValueNotSupported',
        field: 'spec.restartPolicy',
        message: 'Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"',
      },
      {
        reason: 'FieldValueNotSupported',
        field: 'spec.dnsPolicy',
        message:
          'Unsupported value: "Nearest": supported values: "ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"',
      },
    ]);
  });

  it('refuses init containers that share a name with an app container', () => {
    const pod = livenessPod();
    pod.spec!.initContainers = [{ name: 'liveness', image: 'busybox' }];
    expect(summary(createCauses(pod))).toEqual(['spec.initContainers[0].name: FieldValueDuplicate']);
  });

  it('lets an update change images, shorten the deadline and add tolerations, nothing else', () => {
    const old = livenessPod();
    const allowed = livenessPod();
    allowed.spec!.containers[0]!.image = 'registry.k8s.io/e2e-test-images/agnhost:2.41';
    allowed.spec!.tolerations = [{ key: 'dedicated', operator: 'Exists', effect: 'NoSchedule' }];
    expect(updateCauses(allowed, old)).toEqual([]);
    const forbidden = livenessPod();
    forbidden.spec!.containers[0]!.args = ['other'];
    const causes = updateCauses(forbidden, old);
    expect(summary(causes)).toEqual(['spec: FieldValueForbidden']);
    expect(causes[0]?.message).toMatch(
      /^Forbidden: pod updates may not change fields other than `spec.containers\[\*\].image`/,
    );
    const added = livenessPod();
    added.spec!.containers.push({ name: 'sidecar', image: 'busybox' });
    expect(summary(updateCauses(added, old))).toEqual(['spec.containers: FieldValueForbidden']);
  });
});

describe('other kinds', () => {
  it('checks a PersistentVolumeClaim', () => {
    const claim: KubeObject = {
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: { name: 'c', namespace: 'default' },
      spec: {},
    };
    expect(createCauses(claim)).toEqual([
      {
        reason: 'FieldValueRequired',
        field: 'spec.accessModes',
        message: 'Required value: at least 1 access mode is required',
      },
      { reason: 'FieldValueRequired', field: 'spec.resources[storage]', message: 'Required value' },
    ]);
  });

  it('requires a StorageClass provisioner', () => {
    const storageClass: KubeObject = {
      apiVersion: 'storage.k8s.io/v1',
      kind: 'StorageClass',
      metadata: { name: 'fast' },
    };
    expect(summary(createCauses(storageClass))).toEqual(['provisioner: FieldValueRequired']);
  });

  it('checks an EndpointSlice address type and addresses', () => {
    const slice: KubeObject = {
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      metadata: { name: 'web-abc', namespace: 'default' },
      addressType: 'IPv4',
      endpoints: [{ addresses: ['10.244.0.5'] }, { addresses: ['fd00::1'] }],
      ports: [{ name: 'http', port: 80 }],
    };
    expect(summary(createCauses(slice))).toEqual(['endpoints[1].addresses[0]: FieldValueInvalid']);
    slice.addressType = 'IPX';
    slice.endpoints = [];
    expect(summary(createCauses(slice))).toEqual(['addressType: FieldValueNotSupported']);
  });

  it('checks a Lease duration and a Namespace finalizer', () => {
    const lease: KubeObject = {
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: { name: 'node-1', namespace: 'kube-node-lease' },
      spec: { leaseDurationSeconds: 0 },
    };
    expect(summary(createCauses(lease))).toEqual(['spec.leaseDurationSeconds: FieldValueInvalid']);
    const namespace: KubeObject = {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'team-a' },
      spec: { finalizers: ['cleanup'] },
    };
    expect(summary(createCauses(namespace))).toEqual(['spec.finalizers: FieldValueInvalid']);
  });

  it('checks an old-style Event namespace against its involved object', () => {
    const event: KubeObject = {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: 'web.17a', namespace: 'default' },
      involvedObject: { kind: 'Pod', name: 'web', namespace: 'prod' },
      reason: 'Started',
    };
    expect(summary(createCauses(event))).toEqual(['involvedObject.namespace: FieldValueInvalid']);
  });

  it('checks an HPA replica range and target', () => {
    const hpa: KubeObject = {
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: { name: 'web', namespace: 'default' },
      spec: {
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' },
        minReplicas: 3,
        maxReplicas: 2,
      },
    };
    expect(summary(createCauses(hpa))).toEqual(['spec.maxReplicas: FieldValueInvalid']);
  });

  it('validates only metadata of kinds without rules of their own', () => {
    const account: KubeObject = {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { name: 'Build_Bot', namespace: 'default' },
    };
    expect(summary(createCauses(account))).toEqual(['metadata.name: FieldValueInvalid']);
  });
});
