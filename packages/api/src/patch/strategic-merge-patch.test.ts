import { describe, expect, it } from 'vitest';
import { StatusError } from '../errors.js';
import { findKind, type ResourceInfo } from '../resources.js';
import { applyStrategicMergePatch } from './strategic-merge-patch.js';

function kind(apiVersion: string, name: string): ResourceInfo {
  const info = findKind(apiVersion, name);
  if (!info) throw new Error(`no ${name}`);
  return info;
}

const DEPLOYMENT = kind('apps/v1', 'Deployment');
const POD = kind('v1', 'Pod');
const SERVICE = kind('v1', 'Service');
const CONFIG_MAP = kind('v1', 'ConfigMap');

interface Named {
  name: string;
  [field: string]: unknown;
}

function deployment() {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', labels: { app: 'web' }, finalizers: ['a.example/x', 'b.example/y'] },
    spec: {
      replicas: 2,
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: {
          containers: [
            {
              name: 'app',
              image: 'nginx:1',
              ports: [{ containerPort: 80, name: 'http' }],
              env: [
                { name: 'A', value: '1' },
                { name: 'B', value: '2' },
              ],
              volumeMounts: [{ name: 'data', mountPath: '/data' }],
            },
            { name: 'sidecar', image: 'busybox' },
          ],
          volumes: [{ name: 'data', emptyDir: {} }],
          tolerations: [{ key: 'a', operator: 'Exists' }],
          nodeSelector: { disk: 'hdd', zone: 'a' },
        },
      },
    },
  };
}

type Deployment = ReturnType<typeof deployment>;

const patchDeployment = (patch: unknown) => applyStrategicMergePatch(deployment(), patch, DEPLOYMENT) as Deployment;
const podSpecPatch = (spec: object) => ({ spec: { template: { spec } } });
const containersOf = (result: Deployment) => result.spec.template.spec.containers as Named[];
const appOf = (result: Deployment) => containersOf(result).find((c) => c.name === 'app') as Named;

function failure(patch: unknown, info: ResourceInfo = DEPLOYMENT, document: unknown = deployment()): StatusError {
  try {
    applyStrategicMergePatch(document, patch, info);
  } catch (err) {
    if (err instanceof StatusError) return err;
    throw err;
  }
  throw new Error('expected the patch to fail');
}

describe('strategic merge of containers', () => {
  it('updates one container by name, as kubectl set image does', () => {
    const result = patchDeployment(podSpecPatch({ containers: [{ name: 'app', image: 'nginx:2' }] }));
    expect(containersOf(result).map((c) => [c.name, c.image])).toEqual([
      ['app', 'nginx:2'],
      ['sidecar', 'busybox'],
    ]);
    expect(appOf(result).env).toHaveLength(2);
    expect(appOf(result).ports).toEqual([{ containerPort: 80, name: 'http' }]);
  });

  it('keeps the live order when updating a later container', () => {
    const result = patchDeployment(podSpecPatch({ containers: [{ name: 'sidecar', image: 'busybox:2' }] }));
    expect(containersOf(result).map((c) => c.name)).toEqual(['app', 'sidecar']);
    expect(containersOf(result)[1]?.image).toBe('busybox:2');
  });

  it('puts a new container before the live-only ones when no order is given', () => {
    const result = patchDeployment(podSpecPatch({ containers: [{ name: 'new', image: 'x' }] }));
    expect(containersOf(result).map((c) => c.name)).toEqual(['new', 'app', 'sidecar']);
  });

  it('follows $setElementOrder and deletes with $patch: delete, as kubectl apply sends', () => {
    const result = patchDeployment(
      podSpecPatch({
        '$setElementOrder/containers': [{ name: 'app' }, { name: 'new' }],
        containers: [
          { name: 'new', image: 'x' },
          { $patch: 'delete', name: 'sidecar' },
        ],
      }),
    );
    expect(containersOf(result)).toEqual([
      expect.objectContaining({ name: 'app', image: 'nginx:1' }),
      { name: 'new', image: 'x' },
    ]);
  });

  it('replaces the list with a {"$patch": "replace"} item', () => {
    const result = patchDeployment(
      podSpecPatch({ containers: [{ $patch: 'replace' }, { name: 'only', image: 'x', command: null }] }),
    );
    expect(containersOf(result)).toEqual([{ name: 'only', image: 'x' }]);
  });

  it('merges initContainers and volumeMounts by their keys', () => {
    const document = deployment();
    Object.assign(document.spec.template.spec, { initContainers: [{ name: 'init', image: 'busybox', args: ['a'] }] });
    const result = applyStrategicMergePatch(
      document,
      podSpecPatch({
        initContainers: [{ name: 'init', args: ['b'] }],
        containers: [
          {
            name: 'app',
            volumeMounts: [
              { mountPath: '/data', readOnly: true },
              { name: 'cache', mountPath: '/cache' },
            ],
          },
        ],
      }),
      DEPLOYMENT,
    ) as Deployment & { spec: { template: { spec: { initContainers: Named[] } } } };
    expect(result.spec.template.spec.initContainers).toEqual([{ name: 'init', image: 'busybox', args: ['b'] }]);
    expect(appOf(result).volumeMounts).toEqual([
      { name: 'data', mountPath: '/data', readOnly: true },
      { name: 'cache', mountPath: '/cache' },
    ]);
  });
});

describe('strategic merge of env', () => {
  it('adds and updates variables by name, as kubectl set env sends', () => {
    const result = patchDeployment(
      podSpecPatch({
        '$setElementOrder/containers': [{ name: 'app' }, { name: 'sidecar' }],
        containers: [
          {
            '$setElementOrder/env': [{ name: 'A' }, { name: 'B' }, { name: 'C' }],
            name: 'app',
            env: [
              { name: 'B', value: '3' },
              { name: 'C', value: '4' },
            ],
          },
        ],
      }),
    );
    expect(appOf(result).env).toEqual([
      { name: 'A', value: '1' },
      { name: 'B', value: '3' },
      { name: 'C', value: '4' },
    ]);
  });

  it('keeps live-only variables in front of later patch items they preceded', () => {
    const result = patchDeployment(podSpecPatch({ containers: [{ name: 'app', env: [{ name: 'B', value: '3' }] }] }));
    expect(appOf(result).env).toEqual([
      { name: 'A', value: '1' },
      { name: 'B', value: '3' },
    ]);
  });

  it('removes a variable with $patch: delete and clears a field with null', () => {
    const result = patchDeployment(
      podSpecPatch({
        containers: [
          {
            name: 'app',
            env: [
              { name: 'A', $patch: 'delete' },
              { name: 'B', value: null, valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
            ],
          },
        ],
      }),
    );
    expect(appOf(result).env).toEqual([{ name: 'B', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }]);
  });
});

describe('strategic merge of ports, volumes and other keyed lists', () => {
  it('merges container ports by containerPort', () => {
    const result = patchDeployment(
      podSpecPatch({
        containers: [
          {
            name: 'app',
            ports: [
              { containerPort: 80, protocol: 'TCP' },
              { containerPort: 443, name: 'https' },
            ],
          },
        ],
      }),
    );
    expect(appOf(result).ports).toEqual([
      { containerPort: 80, name: 'http', protocol: 'TCP' },
      { containerPort: 443, name: 'https' },
    ]);
  });

  it('merges service ports by port', () => {
    const service = {
      metadata: { name: 's' },
      spec: {
        type: 'ClusterIP',
        ports: [
          { port: 80, targetPort: 8080, name: 'http' },
          { port: 443, targetPort: 8443, name: 'https' },
        ],
      },
    };
    const result = applyStrategicMergePatch(
      service,
      { spec: { type: 'NodePort', ports: [{ port: 80, nodePort: 30080 }] } },
      SERVICE,
    );
    expect(result).toEqual({
      metadata: { name: 's' },
      spec: {
        type: 'NodePort',
        ports: [
          { port: 80, targetPort: 8080, name: 'http', nodePort: 30080 },
          { port: 443, targetPort: 8443, name: 'https' },
        ],
      },
    });
  });

  it('swaps a volume source with $retainKeys, as kubectl apply sends', () => {
    const result = patchDeployment(
      podSpecPatch({
        volumes: [{ $retainKeys: ['configMap', 'name'], name: 'data', configMap: { name: 'settings' } }],
      }),
    );
    expect(result.spec.template.spec.volumes).toEqual([{ name: 'data', configMap: { name: 'settings' } }]);
  });

  it('merges pod status conditions by type and podIPs by ip', () => {
    const pod = {
      metadata: { name: 'p' },
      status: {
        phase: 'Pending',
        conditions: [
          { type: 'PodScheduled', status: 'True' },
          { type: 'Ready', status: 'False' },
        ],
      },
    };
    const result = applyStrategicMergePatch(
      pod,
      { status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }], podIPs: [{ ip: '10.244.0.5' }] } },
      POD,
    );
    expect(result).toEqual({
      metadata: { name: 'p' },
      status: {
        phase: 'Running',
        conditions: [
          { type: 'PodScheduled', status: 'True' },
          { type: 'Ready', status: 'True' },
        ],
        podIPs: [{ ip: '10.244.0.5' }],
      },
    });
  });

  it('merges ownerReferences by uid, hostAliases by ip and imagePullSecrets by name', () => {
    const pod = {
      metadata: { name: 'p', ownerReferences: [{ uid: 'u1', kind: 'ReplicaSet', name: 'rs', controller: true }] },
      spec: { hostAliases: [{ ip: '10.0.0.1', hostnames: ['a'] }], imagePullSecrets: [{ name: 'reg' }] },
    };
    const result = applyStrategicMergePatch(
      pod,
      {
        metadata: { ownerReferences: [{ uid: 'u1', controller: false }] },
        spec: { hostAliases: [{ ip: '10.0.0.2', hostnames: ['b'] }], imagePullSecrets: [{ name: 'other' }] },
      },
      POD,
    );
    expect(result).toEqual({
      metadata: { name: 'p', ownerReferences: [{ uid: 'u1', kind: 'ReplicaSet', name: 'rs', controller: false }] },
      spec: {
        hostAliases: [
          { ip: '10.0.0.2', hostnames: ['b'] },
          { ip: '10.0.0.1', hostnames: ['a'] },
        ],
        imagePullSecrets: [{ name: 'other' }, { name: 'reg' }],
      },
    });
  });

  it('replaces lists without a patch strategy', () => {
    const result = patchDeployment(podSpecPatch({ tolerations: [{ key: 'b', operator: 'Exists' }] }));
    expect(result.spec.template.spec.tolerations).toEqual([{ key: 'b', operator: 'Exists' }]);
  });
});

describe("strategies found through the kind's model types", () => {
  it("merges the containers of a CronJob's job template by name", () => {
    const jobPodSpec = (spec: object) => ({ spec: { jobTemplate: { spec: { template: { spec } } } } });
    const cronJob = jobPodSpec({ containers: [{ name: 'a', image: 'x', env: [{ name: 'A', value: '1' }] }] });
    const result = applyStrategicMergePatch(
      cronJob,
      jobPodSpec({ containers: [{ name: 'a', env: [{ name: 'B', value: '2' }] }] }),
      kind('batch/v1', 'CronJob'),
    );
    expect(result).toEqual(
      jobPodSpec({
        containers: [
          {
            name: 'a',
            image: 'x',
            env: [
              { name: 'B', value: '2' },
              { name: 'A', value: '1' },
            ],
          },
        ],
      }),
    );
  });

  it('merges node addresses by type and unions podCIDRs', () => {
    const node = {
      metadata: { name: 'n' },
      spec: { podCIDRs: ['10.244.0.0/24'] },
      status: {
        addresses: [
          { type: 'InternalIP', address: '10.0.0.1' },
          { type: 'Hostname', address: 'n' },
        ],
      },
    };
    const result = applyStrategicMergePatch(
      node,
      { spec: { podCIDRs: ['fd00::/64'] }, status: { addresses: [{ type: 'InternalIP', address: '10.0.0.2' }] } },
      kind('v1', 'Node'),
    );
    expect(result).toEqual({
      metadata: { name: 'n' },
      spec: { podCIDRs: ['fd00::/64', '10.244.0.0/24'] },
      status: {
        addresses: [
          { type: 'InternalIP', address: '10.0.0.2' },
          { type: 'Hostname', address: 'n' },
        ],
      },
    });
  });

  it('merges the volumeDevices of ephemeral containers by devicePath', () => {
    const pod = {
      metadata: { name: 'p' },
      spec: { ephemeralContainers: [{ name: 'debug', volumeDevices: [{ name: 'a', devicePath: '/dev/a' }] }] },
    };
    const result = applyStrategicMergePatch(
      pod,
      { spec: { ephemeralContainers: [{ name: 'debug', volumeDevices: [{ name: 'b', devicePath: '/dev/b' }] }] } },
      POD,
    ) as typeof pod;
    expect(result.spec.ephemeralContainers[0]?.volumeDevices).toEqual([
      { name: 'b', devicePath: '/dev/b' },
      { name: 'a', devicePath: '/dev/a' },
    ]);
  });

  it('merges HorizontalPodAutoscaler conditions by type', () => {
    const hpa = {
      metadata: { name: 'h' },
      status: {
        conditions: [
          { type: 'AbleToScale', status: 'True' },
          { type: 'ScalingActive', status: 'False' },
        ],
      },
    };
    const result = applyStrategicMergePatch(
      hpa,
      { status: { conditions: [{ type: 'ScalingActive', status: 'True' }] } },
      kind('autoscaling/v2', 'HorizontalPodAutoscaler'),
    ) as typeof hpa;
    expect(result.status.conditions).toEqual([
      { type: 'AbleToScale', status: 'True' },
      { type: 'ScalingActive', status: 'True' },
    ]);
  });

  it("goes by the field's type, not its name: a list under a field the kind lacks is replaced", () => {
    const document = { metadata: { name: 'web' }, spec: { extra: { env: [{ name: 'A', value: '1' }] } } };
    const result = applyStrategicMergePatch(
      document,
      { spec: { extra: { env: [{ name: 'B', value: '2' }] } } },
      DEPLOYMENT,
    );
    expect(result).toEqual({ metadata: { name: 'web' }, spec: { extra: { env: [{ name: 'B', value: '2' }] } } });
  });
});

describe('strategic merge of primitive lists', () => {
  it('unions finalizers', () => {
    const result = patchDeployment({ metadata: { finalizers: ['c.example/z', 'a.example/x'] } });
    expect(result.metadata.finalizers).toEqual(['c.example/z', 'a.example/x', 'b.example/y']);
  });

  it('removes values with $deleteFromPrimitiveList', () => {
    const result = patchDeployment({ metadata: { '$deleteFromPrimitiveList/finalizers': ['a.example/x'] } });
    expect(result.metadata.finalizers).toEqual(['b.example/y']);
  });

  it('does not create a list from a deletion list', () => {
    const document = deployment() as Partial<Deployment>;
    delete document.spec;
    const result = applyStrategicMergePatch(document, { spec: { '$deleteFromPrimitiveList/x': ['a'] } }, DEPLOYMENT);
    expect(result).toMatchObject({ spec: {} });
  });

  it('orders primitives with $setElementOrder', () => {
    const result = patchDeployment({
      metadata: { '$setElementOrder/finalizers': ['b.example/y', 'new', 'a.example/x'], finalizers: ['new'] },
    });
    expect(result.metadata.finalizers).toEqual(['b.example/y', 'new', 'a.example/x']);
  });
});

describe('strategic merge of maps and directives', () => {
  it('merges maps and deletes keys with null, as kubectl patch and label send', () => {
    const result = patchDeployment({ metadata: { labels: { app: null, tier: 'front' } }, spec: { replicas: 5 } });
    expect(result.metadata.labels).toEqual({ tier: 'front' });
    expect(result.spec.replicas).toBe(5);
  });

  it('replaces a map with $patch: replace', () => {
    const result = patchDeployment(podSpecPatch({ nodeSelector: { $patch: 'replace', disk: 'ssd' } }));
    expect(result.spec.template.spec.nodeSelector).toEqual({ disk: 'ssd' });
  });

  it('empties a map with $patch: delete', () => {
    const result = patchDeployment(podSpecPatch({ nodeSelector: { $patch: 'delete' } }));
    expect(result.spec.template.spec.nodeSelector).toEqual({});
  });

  it('keeps only the retained keys of the deployment strategy', () => {
    const result = patchDeployment({
      spec: { strategy: { $retainKeys: ['type'], type: 'Recreate', rollingUpdate: null } },
    });
    expect(result.spec.strategy).toEqual({ type: 'Recreate' });
  });

  it('cleans nulls and directives out of values it adds', () => {
    const result = patchDeployment(
      podSpecPatch({
        affinity: { nodeAffinity: null, podAffinity: { $patch: 'replace', required: [] } },
        containers: [{ name: 'new', image: 'x', env: [{ name: 'A', value: null }], resources: { limits: null } }],
      }),
    ) as Deployment & { spec: { template: { spec: { affinity: unknown } } } };
    expect(result.spec.template.spec.affinity).toEqual({ podAffinity: { required: [] } });
    expect(containersOf(result)[0]).toEqual({ name: 'new', image: 'x', env: [{ name: 'A' }], resources: {} });
  });

  it('replaces a value of another type', () => {
    const result = applyStrategicMergePatch(
      { data: { a: '1' }, extra: 'x' },
      { data: ['x'], extra: { b: null, c: 1 } },
      CONFIG_MAP,
    );
    expect(result).toEqual({ data: ['x'], extra: { c: 1 } });
  });

  it('merges the maps of kinds without patch tags', () => {
    const result = applyStrategicMergePatch(
      { metadata: { name: 'c' }, data: { a: '1', b: '2' } },
      '{"data":{"b":null,"c":"3"}}',
      CONFIG_MAP,
    );
    expect(result).toEqual({ metadata: { name: 'c' }, data: { a: '1', c: '3' } });
  });

  it('does not mutate the document or the patch', () => {
    const document = deployment();
    const before = JSON.stringify(document);
    const patch = podSpecPatch({
      '$setElementOrder/containers': [{ name: 'app' }],
      containers: [
        { name: 'app', image: 'nginx:3', $retainKeys: ['name', 'image'] },
        { name: 'sidecar', $patch: 'delete' },
      ],
    });
    const patchBefore = JSON.stringify(patch);
    const result = applyStrategicMergePatch(document, patch, DEPLOYMENT) as Deployment;
    expect(containersOf(result)).toEqual([{ name: 'app', image: 'nginx:3' }]);
    expect(JSON.stringify(document)).toBe(before);
    expect(JSON.stringify(patch)).toBe(patchBefore);
  });
});

describe('strategic merge patch errors', () => {
  it.each([
    ['[]', 'json: cannot unmarshal array into Go value of type map[string]interface {}'],
    ['"x"', 'json: cannot unmarshal string into Go value of type map[string]interface {}'],
  ])('answers the non-object patch %s with 400', (patch, message) => {
    const err = failure(patch);
    expect(err.code).toBe(400);
    expect(err.message).toBe(message);
  });

  it('answers undecodable JSON with 400', () => {
    const err = failure('{"spec":');
    expect(err.code).toBe(400);
    expect(err.message).toMatch(/^error decoding patch: /);
  });

  it.each([
    [{ spec: { strategy: { $patch: 'merge' } } }, 'unknown patch type: merge in map: {"$patch":"merge"}'],
    [podSpecPatch({ containers: [{ image: 'x' }] }), 'map: {"image":"x"} does not contain declared merge key: name'],
    [
      podSpecPatch({ containers: [{ $patch: 'delete' }] }),
      'map: {"$patch":"delete"} does not contain declared merge key: name',
    ],
    [podSpecPatch({ containers: [{ $patch: 'merge' }] }), 'merging lists cannot yet be specified in the patch'],
    [
      podSpecPatch({ containers: [{ $patch: 'bogus', name: 'x' }] }),
      'unknown patch type: bogus in map: {"$patch":"bogus","name":"x"}',
    ],
    [{ spec: { strategy: { $retainKeys: 'type' } } }, 'invalid patch format of retainKeys'],
    [podSpecPatch({ '$setElementOrder/containers': 'app' }), 'invalid patch format of setElementOrder list'],
    [
      { metadata: { finalizers: [{ a: 1 }] } },
      'list element types are not identical: [["a.example/x","b.example/y"],[{"a":1}]]',
    ],
  ])('answers %j with 400', (patch, message) => {
    const err = failure(patch);
    expect(err.code).toBe(400);
    expect(err.reason).toBe('BadRequest');
    expect(err.message).toBe(message);
  });

  it('rejects a patch list out of line with its $setElementOrder', () => {
    const err = failure(
      podSpecPatch({
        '$setElementOrder/containers': [{ name: 'app' }, { name: 'sidecar' }],
        containers: [
          { name: 'sidecar', image: 'b' },
          { name: 'app', image: 'a' },
        ],
      }),
    );
    expect(err.code).toBe(400);
    expect(err.message).toContain("doesn't match $setElementOrder/ list");
  });

  it('answers content that breaks $retainKeys with 422', () => {
    const err = failure({ spec: { strategy: { $retainKeys: ['type'], rollingUpdate: { maxSurge: 2 } } } });
    expect(err.code).toBe(422);
    expect(err.message).toBe("patch content doesn't match retainKeys list");
  });

  it('answers lists of lists with 422', () => {
    const err = failure({ metadata: { finalizers: [['x']] } });
    expect(err.code).toBe(422);
    expect(err.message).toBe('lists of lists are not supported');
  });
});
