/**
 * Bodies shaped as kubectl 1.35 writes them for its create commands (every non-pointer
 * field on the wire, zero or not) decode to the JSON the same object would be.
 */
import { StatusError } from '@tkube/api';
import { describe, expect, it } from 'vitest';
import { decodeProtobufObject } from './decode-protobuf.js';
import {
  kubectlContainer,
  kubectlObjectMeta,
  kubectlPodSpec,
  kubectlPodTemplate,
  kubernetesBody,
  writer,
} from './testing/message-writer.js';

function badRequest(run: () => unknown): string {
  try {
    run();
  } catch (err) {
    expect(err).toBeInstanceOf(StatusError);
    expect(err).toMatchObject({ code: 400, reason: 'BadRequest' });
    return (err as StatusError).message;
  }
  throw new Error('expected a 400');
}

const intOrString = (value: number | string) =>
  typeof value === 'number'
    ? writer().varint(1, 0).varint(2, value).string(3, '')
    : writer().varint(1, 1).varint(2, 0).string(3, value);

describe('kubectl create bodies', () => {
  it('namespace', () => {
    const ns = writer()
      .message(1, kubectlObjectMeta('x'))
      .message(2, writer())
      .message(3, (status) => status.string(1, ''));
    expect(decodeProtobufObject(kubernetesBody('v1', 'Namespace', ns))).toEqual({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'x' },
      spec: {},
      status: {},
    });
  });

  it('configmap --from-literal --from-file', () => {
    const cm = writer()
      .message(1, kubectlObjectMeta('c'))
      .entry(2, 'a', 'b')
      .entry(2, 'f.txt', 'file-content\n')
      .message(3, (m) => m.string(1, 'blob').bytesField(2, Uint8Array.of(0xff, 0xfe)));
    expect(decodeProtobufObject(kubernetesBody('v1', 'ConfigMap', cm))).toEqual({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'c' },
      data: { a: 'b', 'f.txt': 'file-content\n' },
      binaryData: { blob: '//4=' },
    });
  });

  it('secret generic: data bytes become base64 strings', () => {
    const secret = writer().message(1, kubectlObjectMeta('s')).entry(2, 'p', 'q').string(3, '');
    expect(decodeProtobufObject(kubernetesBody('v1', 'Secret', secret))).toEqual({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 's' },
      data: { p: 'cQ==' },
    });
  });

  it('deployment --replicas=0 keeps replicas: 0', () => {
    const spec = writer()
      .varint(1, 0)
      .message(2, (selector) => selector.entry(1, 'app', 'd'))
      .message(3, kubectlPodTemplate(kubectlPodSpec([kubectlContainer('busybox', 'busybox:1.35')]), { app: 'd' }))
      .message(4, (strategy) => strategy.string(1, ''))
      .varint(5, 0)
      .varint(7, false);
    const status = writer().varint(1, 0).varint(2, 0).varint(3, 0).varint(4, 0).varint(5, 0).varint(7, 0);
    const deployment = writer()
      .message(1, kubectlObjectMeta('d', { app: 'd' }))
      .message(2, spec)
      .message(3, status);
    expect(decodeProtobufObject(kubernetesBody('apps/v1', 'Deployment', deployment))).toEqual({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'd', labels: { app: 'd' } },
      spec: {
        replicas: 0,
        selector: { matchLabels: { app: 'd' } },
        template: {
          metadata: { labels: { app: 'd' } },
          spec: { containers: [{ name: 'busybox', image: 'busybox:1.35', resources: {} }] },
        },
        strategy: {},
      },
      status: {},
    });
  });

  it('deployment --port=80 -- sleep 3600', () => {
    const container = kubectlContainer('busybox', 'busybox:1.35', ['sleep', '3600'], 80);
    const spec = writer()
      .varint(1, 1)
      .message(2, (selector) => selector.entry(1, 'app', 'd2'))
      .message(3, kubectlPodTemplate(kubectlPodSpec([container]), { app: 'd2' }));
    const deployment = writer()
      .message(1, kubectlObjectMeta('d2', { app: 'd2' }))
      .message(2, spec);
    const decoded = decodeProtobufObject(kubernetesBody('apps/v1', 'Deployment', deployment));
    expect(decoded.spec).toMatchObject({
      replicas: 1,
      template: {
        spec: {
          containers: [
            {
              name: 'busybox',
              image: 'busybox:1.35',
              command: ['sleep', '3600'],
              ports: [{ containerPort: 80 }],
              resources: {},
            },
          ],
        },
      },
    });
  });

  it('job and cronjob', () => {
    const template = kubectlPodTemplate(
      kubectlPodSpec([kubectlContainer('j', 'busybox:1.35', ['echo', 'hi'])], 'Never'),
    );
    const job = writer()
      .message(1, kubectlObjectMeta('j'))
      .message(2, (spec) => spec.message(6, template))
      .message(3, (status) => status.varint(4, 0).varint(5, 0).varint(6, 0));
    expect(decodeProtobufObject(kubernetesBody('batch/v1', 'Job', job))).toEqual({
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'j' },
      spec: {
        template: {
          metadata: {},
          spec: {
            containers: [{ name: 'j', image: 'busybox:1.35', command: ['echo', 'hi'], resources: {} }],
            restartPolicy: 'Never',
          },
        },
      },
      status: {},
    });

    const cronPod = kubectlPodTemplate(kubectlPodSpec([kubectlContainer('cj', 'busybox:1.35')], 'OnFailure'));
    const cronJob = writer()
      .message(1, kubectlObjectMeta('cj'))
      .message(2, (spec) =>
        spec
          .string(1, '*/1 * * * *')
          .message(5, (jt) => jt.message(1, kubectlObjectMeta('cj')).message(2, (js) => js.message(6, cronPod))),
      )
      .message(3, writer());
    const decoded = decodeProtobufObject(kubernetesBody('batch/v1', 'CronJob', cronJob));
    expect(decoded.spec).toEqual({
      schedule: '*/1 * * * *',
      jobTemplate: {
        metadata: { name: 'cj' },
        spec: {
          template: {
            metadata: {},
            spec: { containers: [{ name: 'cj', image: 'busybox:1.35', resources: {} }], restartPolicy: 'OnFailure' },
          },
        },
      },
    });
  });

  it('job --from=cronjob: owner reference and annotation', () => {
    const meta = kubectlObjectMeta('manual')
      .entry(12, 'cronjob.kubernetes.io/instantiate', 'manual')
      .message(13, (owner) =>
        owner
          .string(1, 'CronJob')
          .string(3, 'cj')
          .string(4, 'uid-1')
          .string(5, 'batch/v1')
          .varint(6, true)
          .varint(7, false),
      );
    const job = writer().message(1, meta);
    expect(decodeProtobufObject(kubernetesBody('batch/v1', 'Job', job)).metadata).toEqual({
      name: 'manual',
      annotations: { 'cronjob.kubernetes.io/instantiate': 'manual' },
      ownerReferences: [
        {
          kind: 'CronJob',
          name: 'cj',
          uid: 'uid-1',
          apiVersion: 'batch/v1',
          controller: true,
          blockOwnerDeletion: false,
        },
      ],
    });
  });

  it('service clusterip --tcp=80:8080', () => {
    const port = writer()
      .string(1, '80-8080')
      .string(2, 'TCP')
      .varint(3, 80)
      .message(4, intOrString(8080))
      .varint(5, 0);
    const spec = writer().message(1, port).entry(2, 'app', 's').string(4, 'ClusterIP').varint(12, 0).varint(13, false);
    const service = writer()
      .message(1, kubectlObjectMeta('s', { app: 's' }))
      .message(2, spec)
      .message(3, (status) => status.message(1, writer()));
    expect(decodeProtobufObject(kubernetesBody('v1', 'Service', service))).toEqual({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 's', labels: { app: 's' } },
      spec: {
        ports: [{ name: '80-8080', protocol: 'TCP', port: 80, targetPort: 8080 }],
        selector: { app: 's' },
        type: 'ClusterIP',
      },
      status: { loadBalancer: {} },
    });
  });

  it('serviceaccount', () => {
    const sa = writer().message(1, kubectlObjectMeta('sa'));
    expect(decodeProtobufObject(kubernetesBody('v1', 'ServiceAccount', sa))).toEqual({
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { name: 'sa' },
    });
  });

  it('autoscale --min=2 --max=3 --cpu=50% (autoscaling/v2)', () => {
    const metric = writer()
      .string(1, 'Resource')
      .message(4, (resource) =>
        resource.string(1, 'cpu').message(2, (target) => target.string(1, 'Utilization').varint(4, 50)),
      );
    const spec = writer()
      .message(1, (ref) => ref.string(1, 'Deployment').string(2, 'd2').string(3, 'apps/v1'))
      .varint(2, 2)
      .varint(3, 3)
      .message(4, metric);
    const hpa = writer()
      .message(1, kubectlObjectMeta('d2'))
      .message(2, spec)
      .message(3, (status) => status.varint(3, 0).varint(4, 0));
    expect(decodeProtobufObject(kubernetesBody('autoscaling/v2', 'HorizontalPodAutoscaler', hpa))).toEqual({
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: { name: 'd2' },
      spec: {
        scaleTargetRef: { kind: 'Deployment', name: 'd2', apiVersion: 'apps/v1' },
        minReplicas: 2,
        maxReplicas: 3,
        metrics: [
          { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } },
        ],
      },
      status: { desiredReplicas: 0 },
    });
  });

  it('a pod template with env, probes, volumes, tolerations and security settings', () => {
    const container = writer()
      .string(1, 'app')
      .string(2, 'busybox:1.35')
      .message(7, (env) => env.string(1, 'MODE').string(2, 'fast'))
      .message(7, (env) =>
        env
          .string(1, 'POD')
          .string(2, '')
          .message(3, (from) => from.message(1, (field) => field.string(1, 'v1').string(2, 'metadata.name'))),
      )
      .message(7, (env) =>
        env.string(1, 'PASSWORD').message(3, (from) =>
          from.message(4, (key) =>
            key
              .message(1, (ref) => ref.string(1, 'creds'))
              .string(2, 'password')
              .varint(3, false),
          ),
        ),
      )
      .message(19, (envFrom) =>
        envFrom.string(1, 'CFG_').message(2, (ref) => ref.message(1, (lor) => lor.string(1, 'settings'))),
      )
      .message(8, (resources) =>
        resources.message(1, (m) => m.string(1, 'memory').message(2, (q) => q.string(1, '64Mi'))),
      )
      .message(9, (mount) => mount.string(1, 'data').varint(2, true).string(3, '/data').string(4, '').string(6, ''))
      .message(11, (probe) =>
        probe
          .message(1, (handler) =>
            handler.message(2, (http) =>
              http.string(1, '/healthz').message(2, intOrString('http')).string(3, '').string(4, 'HTTP'),
            ),
          )
          .varint(2, 3)
          .varint(3, 1)
          .varint(4, 10)
          .varint(5, 1)
          .varint(6, 3),
      )
      .message(15, (security) =>
        security
          .varint(5, true)
          .varint(7, false)
          .message(1, (caps) => caps.string(2, 'ALL')),
      );
    const spec = writer()
      .message(1, (volume) =>
        volume
          .string(1, 'data')
          .message(2, (source) => source.message(10, (pvc) => pvc.string(1, 'claim').varint(2, false))),
      )
      .message(1, (volume) =>
        volume.string(1, 'cfg').message(2, (source) =>
          source.message(19, (cm) =>
            cm
              .message(1, (lor) => lor.string(1, 'settings'))
              .message(2, (item) => item.string(1, 'a').string(2, 'a.txt'))
              .varint(3, 0o644),
          ),
        ),
      )
      .message(2, container)
      .message(22, (toleration) =>
        toleration.string(1, 'dedicated').string(2, 'Equal').string(3, 'db').string(4, 'NoSchedule'),
      )
      .message(14, (security) => security.varint(5, 2000).varint(3, true))
      .message(7, (m) => m.string(1, 'disk').string(2, 'ssd'))
      .varint(4, 0);
    const pod = writer().message(1, kubectlObjectMeta('p')).message(2, spec);
    expect(decodeProtobufObject(kubernetesBody('v1', 'Pod', pod)).spec).toEqual({
      volumes: [
        { name: 'data', persistentVolumeClaim: { claimName: 'claim' } },
        { name: 'cfg', configMap: { name: 'settings', items: [{ key: 'a', path: 'a.txt' }], defaultMode: 0o644 } },
      ],
      containers: [
        {
          name: 'app',
          image: 'busybox:1.35',
          env: [
            { name: 'MODE', value: 'fast' },
            { name: 'POD', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.name' } } },
            { name: 'PASSWORD', valueFrom: { secretKeyRef: { name: 'creds', key: 'password', optional: false } } },
          ],
          envFrom: [{ prefix: 'CFG_', configMapRef: { name: 'settings' } }],
          resources: { limits: { memory: '64Mi' } },
          volumeMounts: [{ name: 'data', readOnly: true, mountPath: '/data' }],
          readinessProbe: {
            httpGet: { path: '/healthz', port: 'http', scheme: 'HTTP' },
            initialDelaySeconds: 3,
            timeoutSeconds: 1,
            periodSeconds: 10,
            successThreshold: 1,
            failureThreshold: 3,
          },
          securityContext: { runAsNonRoot: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
        },
      ],
      tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'db', effect: 'NoSchedule' }],
      securityContext: { fsGroup: 2000, runAsNonRoot: true },
      nodeSelector: { disk: 'ssd' },
      terminationGracePeriodSeconds: 0,
    });
  });

  it('the Eviction of kubectl drain, with its deleteOptions', () => {
    const eviction = writer()
      .message(1, (m) => m.string(1, 'web-1').string(3, 'shop'))
      .message(2, (options) => options.varint(1, 30));
    expect(decodeProtobufObject(kubernetesBody('policy/v1', 'Eviction', eviction))).toEqual({
      apiVersion: 'policy/v1',
      kind: 'Eviction',
      metadata: { name: 'web-1', namespace: 'shop' },
      deleteOptions: { gracePeriodSeconds: 30 },
    });
  });
});

describe('the envelope', () => {
  const configMap = writer().message(1, kubectlObjectMeta('c')).entry(2, 'a', 'b');

  it('takes apiVersion and kind from the request path when the envelope leaves them out', () => {
    const body = Buffer.concat([Buffer.from('k8s\u0000', 'latin1'), writer().message(2, configMap).finish()]);
    expect(decodeProtobufObject(body, { apiVersion: 'v1', kind: 'ConfigMap' })).toEqual({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'c' },
      data: { a: 'b' },
    });
    expect(badRequest(() => decodeProtobufObject(body))).toBe("Object 'Kind' is missing in the protobuf body");
  });

  it('refuses a body without the k8s magic, or with nothing after it', () => {
    expect(badRequest(() => decodeProtobufObject(Buffer.from('{"kind":"ConfigMap"}')))).toMatch(
      /not a Kubernetes protobuf message: it must start with the bytes "k8s\\x00"/,
    );
    expect(badRequest(() => decodeProtobufObject(Buffer.from('k8s\u0001rest', 'latin1')))).toMatch(/must start with/);
    expect(badRequest(() => decodeProtobufObject(Buffer.from('k8s\u0000', 'latin1')))).toMatch(/empty body/);
  });

  it('refuses a truncated body', () => {
    const body = kubernetesBody('v1', 'ConfigMap', configMap);
    for (const length of [5, 10, body.length - 1]) {
      expect(badRequest(() => decodeProtobufObject(body.subarray(0, length)))).toMatch(/could not be decoded/);
    }
  });

  it('refuses kinds tkube does not decode, and compressed content', () => {
    expect(badRequest(() => decodeProtobufObject(kubernetesBody('policy/v1', 'PodDisruptionBudget', writer())))).toBe(
      'kind PodDisruptionBudget of policy/v1 cannot be decoded from protobuf by tkube; send JSON instead',
    );
    const gzipped = Buffer.concat([
      Buffer.from('k8s\u0000', 'latin1'),
      writer()
        .message(1, (t) => t.string(1, 'v1').string(2, 'ConfigMap'))
        .message(2, configMap)
        .string(3, 'gzip')
        .finish(),
    ]);
    expect(badRequest(() => decodeProtobufObject(gzipped))).toBe(
      'protobuf content encoding "gzip" is not supported; send JSON instead',
    );
  });

  it('skips envelope fields it has no use for, of any wire type', () => {
    const body = Buffer.concat([
      Buffer.from('k8s\u0000', 'latin1'),
      writer()
        .message(1, (t) => t.string(1, 'v1').string(2, 'ConfigMap').varint(3, 1))
        .message(2, configMap)
        .string(4, 'application/vnd.kubernetes.protobuf')
        .fixed64(9, 1n)
        .fixed32(10, 1)
        .finish(),
    ]);
    expect(decodeProtobufObject(body)).toMatchObject({ kind: 'ConfigMap', data: { a: 'b' } });
  });
});
