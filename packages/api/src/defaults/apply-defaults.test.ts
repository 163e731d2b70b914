import { describe, expect, it } from 'vitest';
import { findKind } from '../resources.js';
import type { KubeObject } from '../types.js';
import {
  gameDemoConfigMap,
  helloCronJob,
  livenessPod,
  myService,
  nginxDeployment,
  piJob,
  webStatefulSet,
} from '../validation/testdata/manifests.js';
import { applyDefaults } from './apply-defaults.js';

function defaulted<T extends KubeObject>(object: T): T {
  const info = findKind(object.apiVersion ?? '', object.kind ?? '');
  if (!info) throw new Error(`no resource for ${object.kind}`);
  applyDefaults(info, object);
  return object;
}

const nginxContainerAfterCreate = {
  name: 'nginx',
  image: 'nginx:1.14.2',
  imagePullPolicy: 'IfNotPresent',
  ports: [{ containerPort: 80, protocol: 'TCP' }],
  resources: {},
  terminationMessagePath: '/dev/termination-log',
  terminationMessagePolicy: 'File',
};

describe('applyDefaults', () => {
  it('gives the nginx Deployment what `kubectl get -o yaml` shows after create', () => {
    const deployment = defaulted(nginxDeployment());
    expect(deployment.spec).toEqual({
      progressDeadlineSeconds: 600,
      replicas: 3,
      revisionHistoryLimit: 10,
      selector: { matchLabels: { app: 'nginx' } },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
      template: {
        metadata: { labels: { app: 'nginx' } },
        spec: {
          containers: [nginxContainerAfterCreate],
          dnsPolicy: 'ClusterFirst',
          restartPolicy: 'Always',
          schedulerName: 'default-scheduler',
          securityContext: {},
          terminationGracePeriodSeconds: 30,
        },
      },
    });
    // apps/v1 does not copy template labels to the object.
    expect(deployment.metadata?.labels).toEqual({ app: 'nginx' });
  });

  it('keeps values the user set, even when they equal nothing', () => {
    const deployment = nginxDeployment();
    deployment.spec!.replicas = 0;
    deployment.spec!.strategy = { type: 'Recreate' };
    deployment.spec!.template.spec!.terminationGracePeriodSeconds = 0;
    defaulted(deployment);
    expect(deployment.spec?.replicas).toBe(0);
    expect(deployment.spec?.strategy).toEqual({ type: 'Recreate' });
    expect(deployment.spec?.template.spec?.terminationGracePeriodSeconds).toBe(0);
  });

  it.each([
    ['nginx', 'Always'],
    ['nginx:latest', 'Always'],
    ['registry.k8s.io:5000/pause:latest', 'Always'],
    ['nginx:1.14.2', 'IfNotPresent'],
    ['localhost:5000/busybox', 'Always'],
    ['busybox@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef', 'IfNotPresent'],
    ['Invalid_Name', 'IfNotPresent'],
  ])('defaults imagePullPolicy of %s to %s', (image, policy) => {
    const deployment = nginxDeployment();
    deployment.spec!.template.spec!.containers[0]!.image = image;
    defaulted(deployment);
    expect(deployment.spec?.template.spec?.containers[0]?.imagePullPolicy).toBe(policy);
  });

  it('gives a Pod its own defaults on top of the pod spec ones', () => {
    const pod = defaulted(livenessPod());
    const spec = pod.spec!;
    const container = spec.containers[0]!;
    expect(spec).toMatchObject({
      enableServiceLinks: true,
      priority: 0,
      restartPolicy: 'Always',
      dnsPolicy: 'ClusterFirst',
    });
    expect(container.resources).toEqual({
      limits: { cpu: '500m', memory: '128Mi' },
      requests: { cpu: '500m', memory: '128Mi' },
    });
    expect(container.livenessProbe).toEqual({
      httpGet: {
        path: '/healthz',
        port: 8080,
        scheme: 'HTTP',
        httpHeaders: [{ name: 'Custom-Header', value: 'Awesome' }],
      },
      initialDelaySeconds: 3,
      periodSeconds: 3,
      timeoutSeconds: 1,
      successThreshold: 1,
      failureThreshold: 3,
    });
    expect(container.env?.[0]?.valueFrom?.fieldRef).toEqual({ apiVersion: 'v1', fieldPath: 'metadata.name' });
    expect(spec.volumes).toEqual([{ name: 'cache', emptyDir: {} }]);
  });

  it('defaults volume modes and turns a volume with no source into an emptyDir', () => {
    const pod = livenessPod();
    pod.spec!.volumes = [
      { name: 'scratch' },
      { name: 'config', configMap: { name: 'game-demo' } },
      { name: 'creds', secret: { secretName: 's' } },
    ];
    defaulted(pod);
    expect(pod.spec?.volumes).toEqual([
      { name: 'scratch', emptyDir: {} },
      { name: 'config', configMap: { name: 'game-demo', defaultMode: 420 } },
      { name: 'creds', secret: { secretName: 's', defaultMode: 420 } },
    ]);
  });

  it('stores quantities in canonical form', () => {
    const pod = livenessPod();
    pod.spec!.containers[0]!.resources = { requests: { cpu: '0.5', memory: '1024Mi' } };
    defaulted(pod);
    expect(pod.spec?.containers[0]?.resources?.requests).toEqual({ cpu: '500m', memory: '1Gi' });
  });

  it('gives a Service its type, session affinity, target ports and single-stack family', () => {
    const service = defaulted(myService());
    expect(service.spec).toEqual({
      selector: { 'app.kubernetes.io/name': 'MyApp' },
      ports: [{ protocol: 'TCP', port: 80, targetPort: 9376 }],
      type: 'ClusterIP',
      sessionAffinity: 'None',
      internalTrafficPolicy: 'Cluster',
      ipFamilyPolicy: 'SingleStack',
      ipFamilies: ['IPv4'],
    });
    expect(service.status).toEqual({ loadBalancer: {} });
  });

  it('targets the service port when targetPort is left out, and sets externalTrafficPolicy for NodePort', () => {
    const service = myService();
    service.spec = { type: 'NodePort', ports: [{ port: 8080 }] };
    defaulted(service);
    expect(service.spec.ports).toEqual([{ port: 8080, protocol: 'TCP', targetPort: 8080 }]);
    expect(service.spec.externalTrafficPolicy).toBe('Cluster');
  });

  it('leaves an ExternalName service without IP families', () => {
    const service = myService();
    service.spec = { type: 'ExternalName', externalName: 'my.database.example.com' };
    defaulted(service);
    expect(service.spec.ipFamilies).toBeUndefined();
    expect(service.spec.ipFamilyPolicy).toBeUndefined();
  });

  it('does not give a Job template a restartPolicy, and copies template labels to the Job', () => {
    const job = piJob();
    job.spec!.template.metadata = { labels: { app: 'pi' } };
    delete job.spec!.template.spec!.restartPolicy;
    defaulted(job);
    expect(job.spec).toMatchObject({
      backoffLimit: 4,
      completions: 1,
      parallelism: 1,
      completionMode: 'NonIndexed',
      suspend: false,
      podReplacementPolicy: 'TerminatingOrFailed',
    });
    expect(job.spec?.template.spec?.restartPolicy).toBeUndefined();
    expect(job.metadata?.labels).toEqual({ app: 'pi' });
  });

  it('only defaults parallelism when completions is set', () => {
    const job = piJob();
    job.spec!.completions = 5;
    defaulted(job);
    expect(job.spec?.completions).toBe(5);
    expect(job.spec?.parallelism).toBe(1);
  });

  it('defaults a CronJob and the Job spec inside it', () => {
    const cronJob = defaulted(helloCronJob());
    expect(cronJob.spec).toMatchObject({
      concurrencyPolicy: 'Allow',
      suspend: false,
      successfulJobsHistoryLimit: 3,
      failedJobsHistoryLimit: 1,
      jobTemplate: { spec: { backoffLimit: 6, completions: 1, parallelism: 1 } },
    });
  });

  it('defaults a StatefulSet and its claim templates', () => {
    const statefulSet = defaulted(webStatefulSet());
    expect(statefulSet.spec).toMatchObject({
      podManagementPolicy: 'OrderedReady',
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 0 } },
      persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain', whenScaled: 'Retain' },
      revisionHistoryLimit: 10,
      replicas: 3,
    });
    expect(statefulSet.spec?.template.spec?.terminationGracePeriodSeconds).toBe(10);
    expect(statefulSet.spec?.volumeClaimTemplates?.[0]).toMatchObject({
      spec: { volumeMode: 'Filesystem' },
      status: { phase: 'Pending' },
    });
  });

  it('defaults a DaemonSet update strategy to one pod at a time', () => {
    const daemonSet = defaulted({
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: { name: 'fluentd', namespace: 'kube-system' },
      spec: {
        selector: { matchLabels: { name: 'fluentd' } },
        template: { spec: { containers: [{ name: 'f', image: 'fluentd' }] } },
      },
    });
    expect(daemonSet.spec).toMatchObject({
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } },
      revisionHistoryLimit: 10,
    });
  });

  it('labels a Namespace with its name, gives it the kubernetes finalizer and makes it Active', () => {
    const namespace = defaulted({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team-a' } });
    expect(namespace).toMatchObject({
      metadata: { labels: { 'kubernetes.io/metadata.name': 'team-a' } },
      spec: { finalizers: ['kubernetes'] },
      status: { phase: 'Active' },
    });
  });

  it('folds a Secret stringData into base64 data and makes it Opaque', () => {
    const secret = defaulted({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'mysecret', namespace: 'default' },
      data: { username: 'YWRtaW4=' },
      stringData: { password: 't0p-Secret' },
    });
    expect(secret).toMatchObject({ type: 'Opaque', data: { username: 'YWRtaW4=', password: 'dDBwLVNlY3JldA==' } });
    expect(secret.stringData).toBeUndefined();
  });

  it('leaves a ConfigMap as it is', () => {
    const before = gameDemoConfigMap();
    expect(defaulted(gameDemoConfigMap())).toEqual(before);
  });

  it('defaults claims, volumes, storage classes, slices and autoscalers', () => {
    const claim = defaulted({ apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'c' }, spec: {} });
    expect(claim).toMatchObject({ spec: { volumeMode: 'Filesystem' }, status: { phase: 'Pending' } });
    const volume = defaulted({
      apiVersion: 'v1',
      kind: 'PersistentVolume',
      metadata: { name: 'v' },
      spec: { hostPath: { path: '/d' } },
    });
    expect(volume).toMatchObject({
      spec: { persistentVolumeReclaimPolicy: 'Retain', volumeMode: 'Filesystem', hostPath: { type: '' } },
    });
    const storageClass = defaulted({
      apiVersion: 'storage.k8s.io/v1',
      kind: 'StorageClass',
      metadata: { name: 's' },
      provisioner: 'x.io/y',
    });
    expect(storageClass).toMatchObject({ reclaimPolicy: 'Delete', volumeBindingMode: 'Immediate' });
    const slice = defaulted({
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      metadata: { name: 'e' },
      addressType: 'IPv4',
      ports: [{ port: 80 }],
    });
    expect(slice.ports).toEqual([{ port: 80, name: '', protocol: 'TCP' }]);
    const hpa = defaulted({
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: { name: 'h' },
      spec: { scaleTargetRef: { kind: 'Deployment', name: 'd' }, maxReplicas: 5 },
    });
    expect(hpa.spec).toMatchObject({
      minReplicas: 1,
      metrics: [
        { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } },
      ],
    });
  });
});
