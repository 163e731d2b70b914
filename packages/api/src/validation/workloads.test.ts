import { describe, expect, it } from 'vitest';
import type { Deployment } from '../types.js';
import { createCauses, summary, updateCauses } from './testdata/helpers.js';
import { helloCronJob, nginxDeployment, piJob, webStatefulSet } from './testdata/manifests.js';

describe('Deployment validation', () => {
  it('accepts the nginx Deployment from the docs', () => {
    expect(createCauses(nginxDeployment())).toEqual([]);
  });

  it('refuses a selector that does not match the template labels', () => {
    const deployment = nginxDeployment();
    deployment.spec!.selector = { matchLabels: { app: 'web' } };
    expect(createCauses(deployment)).toEqual([
      {
        reason: 'FieldValueInvalid',
        field: 'spec.template.metadata.labels',
        message: 'Invalid value: map[string]string{"app":"nginx"}: `selector` does not match template `labels`',
      },
    ]);
  });

  it('requires a selector, as kube-apiserver does, with the mismatch it implies', () => {
    const deployment = nginxDeployment();
    delete (deployment.spec as Partial<NonNullable<Deployment['spec']>>).selector;
    expect(summary(createCauses(deployment))).toEqual([
      'spec.selector: FieldValueRequired',
      'spec.template.metadata.labels: FieldValueInvalid',
    ]);
  });

  it('refuses an empty selector', () => {
    const deployment = nginxDeployment();
    deployment.spec!.selector = {};
    const causes = createCauses(deployment);
    expect(causes).toContainEqual(
      expect.objectContaining({
        field: 'spec.selector',
        message: expect.stringContaining('empty selector is invalid for deployment'),
      }),
    );
  });

  it('refuses a missing image, a bad container name and duplicate container names', () => {
    const deployment = nginxDeployment();
    const containers = deployment.spec!.template.spec!.containers;
    containers[0]!.image = '';
    containers.push({ name: 'Side_Car', image: 'busybox' }, { name: 'nginx', image: 'busybox' });
    expect(summary(createCauses(deployment))).toEqual([
      'spec.template.spec.containers[0].image: FieldValueRequired',
      'spec.template.spec.containers[1].name: FieldValueInvalid',
      'spec.template.spec.containers[2].name: FieldValueDuplicate',
    ]);
  });

  it('refuses a restartPolicy other than Always', () => {
    const deployment = nginxDeployment();
    deployment.spec!.template.spec!.restartPolicy = 'Never';
    expect(createCauses(deployment)).toEqual([
      {
        reason: 'FieldValueNotSupported',
        field: 'spec.template.spec.restartPolicy',
        message: 'Unsupported value: "Never": supported values: "Always"',
      },
    ]);
  });

  it('refuses negative replicas, and a rollout that can make no progress', () => {
    const deployment = nginxDeployment();
    deployment.spec!.replicas = -1;
    deployment.spec!.strategy = { type: 'RollingUpdate', rollingUpdate: { maxSurge: 0, maxUnavailable: '0%' } };
    expect(createCauses(deployment)).toEqual([
      {
        reason: 'FieldValueInvalid',
        field: 'spec.replicas',
        message: 'Invalid value: -1: must be greater than or equal to 0',
      },
      {
        reason: 'FieldValueInvalid',
        field: 'spec.strategy.rollingUpdate.maxUnavailable',
        message: 'Invalid value: 0%: may not be 0 when `maxSurge` is 0',
      },
    ]);
  });

  it('refuses malformed percentages and unknown strategy types', () => {
    const deployment = nginxDeployment();
    deployment.spec!.strategy = { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25', maxUnavailable: '120%' } };
    expect(summary(createCauses(deployment))).toEqual([
      'spec.strategy.rollingUpdate.maxSurge: FieldValueInvalid',
      'spec.strategy.rollingUpdate.maxUnavailable: FieldValueInvalid',
    ]);
    const other = nginxDeployment();
    other.spec!.strategy = { type: 'BlueGreen' };
    expect(summary(createCauses(other))).toEqual(['spec.strategy.type: FieldValueNotSupported']);
  });

  it('checks container ports, env names and resources', () => {
    const deployment = nginxDeployment();
    const container = deployment.spec!.template.spec!.containers[0]!;
    container.ports = [
      { containerPort: 70000, name: 'http' },
      { containerPort: 443, name: 'http', protocol: 'HTTP' },
      { containerPort: 8080, name: 'much-too-long-port-name' },
    ];
    container.env = [{ name: 'A=B', value: 'x' }];
    container.resources = { requests: { cpu: '2' }, limits: { cpu: '1', memory: 'lots' } };
    expect(summary(createCauses(deployment))).toEqual([
      'spec.template.spec.containers[0].ports[0].containerPort: FieldValueInvalid',
      'spec.template.spec.containers[0].ports[1].name: FieldValueDuplicate',
      'spec.template.spec.containers[0].ports[1].protocol: FieldValueNotSupported',
      'spec.template.spec.containers[0].ports[2].name: FieldValueInvalid',
      'spec.template.spec.containers[0].env[0].name: FieldValueInvalid',
      'spec.template.spec.containers[0].resources.limits[memory]: FieldValueInvalid',
      'spec.template.spec.containers[0].resources.requests: FieldValueInvalid',
    ]);
    expect(createCauses(deployment).at(-1)?.message).toBe(
      'Invalid value: "2": must be less than or equal to cpu limit of 1',
    );
  });

  it('checks volumes and the mounts that refer to them', () => {
    const deployment = nginxDeployment();
    const spec = deployment.spec!.template.spec!;
    spec.volumes = [
      { name: 'data', emptyDir: {} },
      { name: 'data', emptyDir: {} },
      { name: 'both', emptyDir: {}, hostPath: { path: '/tmp' } },
    ];
    spec.containers[0]!.volumeMounts = [{ name: 'missing', mountPath: '/m' }];
    expect(createCauses(deployment)).toEqual([
      {
        reason: 'FieldValueDuplicate',
        field: 'spec.template.spec.volumes[1].name',
        message: 'Duplicate value: "data"',
      },
      {
        reason: 'FieldValueForbidden',
        field: 'spec.template.spec.volumes[2].emptyDir',
        message: 'Forbidden: may not specify more than 1 volume type',
      },
      {
        reason: 'FieldValueNotFound',
        field: 'spec.template.spec.containers[0].volumeMounts[0].name',
        message: 'Not found: "missing"',
      },
    ]);
  });

  it('checks probes', () => {
    const deployment = nginxDeployment();
    deployment.spec!.template.spec!.containers[0]!.livenessProbe = { httpGet: { port: 'http' }, successThreshold: 2 };
    deployment.spec!.template.spec!.containers[0]!.readinessProbe = {};
    expect(summary(createCauses(deployment))).toEqual([
      'spec.template.spec.containers[0].livenessProbe.successThreshold: FieldValueInvalid',
      'spec.template.spec.containers[0].readinessProbe: FieldValueRequired',
    ]);
  });

  it('makes the selector immutable but lets the template change', () => {
    const old = nginxDeployment();
    old.metadata!.uid = 'u1';
    const changedImage = nginxDeployment();
    changedImage.spec!.template.spec!.containers[0]!.image = 'nginx:1.16.1';
    expect(updateCauses(changedImage, old)).toEqual([]);
    const changedSelector = nginxDeployment();
    changedSelector.spec!.selector = { matchLabels: { app: 'nginx', tier: 'web' } };
    changedSelector.spec!.template.metadata!.labels = { app: 'nginx', tier: 'web' };
    expect(summary(updateCauses(changedSelector, old))).toEqual(['spec.selector: FieldValueInvalid']);
    expect(updateCauses(changedSelector, old)[0]?.message).toMatch(/field is immutable$/);
  });

  it('keeps metadata.name, namespace and uid fixed on update', () => {
    const old = nginxDeployment();
    old.metadata!.uid = 'u1';
    const renamed = nginxDeployment();
    renamed.metadata = { ...renamed.metadata, name: 'other', namespace: 'prod', uid: 'u2' };
    expect(summary(updateCauses(renamed, old))).toEqual([
      'metadata.name: FieldValueInvalid',
      'metadata.namespace: FieldValueInvalid',
      'metadata.uid: FieldValueInvalid',
    ]);
  });
});

describe('metadata validation', () => {
  it('requires a name and a namespace for namespaced kinds', () => {
    const deployment = nginxDeployment();
    deployment.metadata = {};
    expect(createCauses(deployment)).toEqual([
      {
        reason: 'FieldValueRequired',
        field: 'metadata.name',
        message: 'Required value: name or generateName is required',
      },
      { reason: 'FieldValueRequired', field: 'metadata.namespace', message: 'Required value' },
    ]);
  });

  it('checks label keys and values, annotation size, owner references and finalizers', () => {
    const deployment = nginxDeployment();
    deployment.metadata = {
      ...deployment.metadata,
      labels: { 'bad key': 'x', ok: 'bad value!' },
      annotations: { big: 'x'.repeat(256 * 1024) },
      ownerReferences: [{ apiVersion: 'v1', kind: 'Event', name: 'e', uid: '' }],
      finalizers: ['example.com/cleanup', 'not/a/finalizer'],
    };
    expect(summary(createCauses(deployment))).toEqual([
      'metadata.labels: FieldValueInvalid',
      'metadata.labels: FieldValueInvalid',
      'metadata.annotations: FieldValueTooLong',
      'metadata.ownerReferences.uid: FieldValueInvalid',
      'metadata.ownerReferences: FieldValueInvalid',
      'metadata.finalizers: FieldValueInvalid',
    ]);
  });

  it('forbids a namespace on cluster-scoped kinds', () => {
    const causes = createCauses({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'a', namespace: 'b' } });
    expect(causes).toEqual([
      { reason: 'FieldValueForbidden', field: 'metadata.namespace', message: 'Forbidden: not allowed on this type' },
    ]);
  });
});

describe('StatefulSet and DaemonSet validation', () => {
  it('accepts the web StatefulSet from the docs, whose mount names a claim template', () => {
    expect(createCauses(webStatefulSet())).toEqual([]);
  });

  it('refuses a bad pod management policy and claim templates without storage', () => {
    const statefulSet = webStatefulSet();
    statefulSet.spec!.podManagementPolicy = 'Random';
    statefulSet.spec!.volumeClaimTemplates![0]!.spec = { accessModes: ['ReadWriteOnce'] };
    expect(summary(createCauses(statefulSet))).toEqual([
      'spec.podManagementPolicy: FieldValueInvalid',
      'spec.volumeClaimTemplates[0].spec.resources[storage]: FieldValueRequired',
    ]);
  });

  it('lets only some StatefulSet fields change', () => {
    const old = webStatefulSet();
    const scaled = webStatefulSet();
    scaled.spec!.replicas = 5;
    expect(updateCauses(scaled, old)).toEqual([]);
    const renamedService = webStatefulSet();
    renamedService.spec!.serviceName = 'other';
    expect(summary(updateCauses(renamedService, old))).toEqual(['spec: FieldValueForbidden']);
  });

  it('refuses a DaemonSet rolling update that surges and leaves pods unavailable at once', () => {
    const daemonSet = {
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: { name: 'fluentd', namespace: 'kube-system' },
      spec: {
        selector: { matchLabels: { name: 'fluentd' } },
        template: {
          metadata: { labels: { name: 'fluentd' } },
          spec: { containers: [{ name: 'f', image: 'fluentd' }] },
        },
        updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 1 } },
      },
    };
    expect(createCauses(daemonSet)).toEqual([
      {
        reason: 'FieldValueInvalid',
        field: 'spec.updateStrategy.rollingUpdate.maxSurge',
        message: 'Invalid value: 1: may not be set when maxUnavailable is non-zero',
      },
    ]);
  });
});

describe('Job and CronJob validation', () => {
  it('accepts the pi Job and the hello CronJob from the docs', () => {
    expect(createCauses(piJob())).toEqual([]);
    expect(createCauses(helloCronJob())).toEqual([]);
  });

  it('asks for OnFailure or Never when a Job template has no restartPolicy', () => {
    const job = piJob();
    delete job.spec!.template.spec!.restartPolicy;
    expect(createCauses(job)).toEqual([
      {
        reason: 'FieldValueRequired',
        field: 'spec.template.spec.restartPolicy',
        message: 'Required value: valid values: "OnFailure", "Never"',
      },
    ]);
    job.spec!.template.spec!.restartPolicy = 'Always';
    expect(createCauses(job)).toEqual([
      {
        reason: 'FieldValueNotSupported',
        field: 'spec.template.spec.restartPolicy',
        message: 'Unsupported value: "Always": supported values: "OnFailure", "Never"',
      },
    ]);
  });

  it('keeps a Job template fixed once the Job runs', () => {
    const old = piJob();
    const changed = piJob();
    changed.spec!.template.spec!.containers[0]!.image = 'perl:5.36';
    expect(summary(updateCauses(changed, old))).toEqual(['spec.template: FieldValueInvalid']);
  });

  it('requires a valid schedule and a known concurrency policy', () => {
    const cronJob = helloCronJob();
    cronJob.spec!.schedule = '61 * * * *';
    cronJob.spec!.concurrencyPolicy = 'Sometimes';
    expect(createCauses(cronJob)).toEqual([
      {
        reason: 'FieldValueInvalid',
        field: 'spec.schedule',
        message: 'Invalid value: "61 * * * *": end of range (61) above maximum (59): 61',
      },
      {
        reason: 'FieldValueNotSupported',
        field: 'spec.concurrencyPolicy',
        message: 'Unsupported value: "Sometimes": supported values: "Allow", "Forbid", "Replace"',
      },
    ]);
    const missing = helloCronJob();
    missing.spec!.schedule = '';
    expect(summary(createCauses(missing))).toEqual(['spec.schedule: FieldValueRequired']);
  });

  it.each(['@hourly', '*/5 * * * *', '0 9-17 * JAN-MAR mon-fri', '@every 1h30m', '0 0 1,15 * ?'])(
    'accepts the schedule %s',
    (schedule) => {
      const cronJob = helloCronJob();
      cronJob.spec!.schedule = schedule;
      expect(createCauses(cronJob)).toEqual([]);
    },
  );

  it.each([
    ['* * * *', 'expected exactly 5 fields, found 4: [* * * *]'],
    ['@often', 'unrecognized descriptor: @often'],
    ['5-1 * * * *', 'beginning of range (5) beyond end of range (1): 5-1'],
    ['x * * * *', 'failed to parse int from x: strconv.Atoi: parsing "x": invalid syntax'],
  ])('refuses the schedule %s', (schedule, message) => {
    const cronJob = helloCronJob();
    cronJob.spec!.schedule = schedule;
    expect(createCauses(cronJob)[0]?.message).toBe(`Invalid value: ${JSON.stringify(schedule)}: ${message}`);
  });

  it('limits CronJob names to 52 characters', () => {
    const cronJob = helloCronJob();
    cronJob.metadata!.name = 'c'.repeat(53);
    expect(createCauses(cronJob)).toEqual([
      {
        reason: 'FieldValueInvalid',
        field: 'metadata.name',
        message: `Invalid value: "${'c'.repeat(53)}": must be no more than 52 characters`,
      },
    ]);
  });
});
