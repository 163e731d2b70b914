/**
 * Manifests from the Kubernetes documentation, as a user would apply them (before defaults).
 * Each call returns a fresh copy, so tests can change them freely.
 */
import type { ConfigMap, CronJob, Deployment, Job, KubeObject, Pod, Service, StatefulSet } from '../../types.js';

/** With the namespace the registry sets from the request path. */
function inNamespace<T extends KubeObject>(object: T): T {
  object.metadata = { namespace: 'default', ...object.metadata };
  return object;
}

export function nginxDeployment(): Deployment {
  return inNamespace<Deployment>({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'nginx-deployment', labels: { app: 'nginx' } },
    spec: {
      replicas: 3,
      selector: { matchLabels: { app: 'nginx' } },
      template: {
        metadata: { labels: { app: 'nginx' } },
        spec: { containers: [{ name: 'nginx', image: 'nginx:1.14.2', ports: [{ containerPort: 80 }] }] },
      },
    },
  });
}

export function myService(): Service {
  return inNamespace<Service>({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'my-service' },
    spec: {
      selector: { 'app.kubernetes.io/name': 'MyApp' },
      ports: [{ protocol: 'TCP', port: 80, targetPort: 9376 }],
    },
  });
}

export function gameDemoConfigMap(): ConfigMap {
  return inNamespace<ConfigMap>({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'game-demo' },
    data: {
      player_initial_lives: '3',
      ui_properties_file_name: 'user-interface.properties',
      'game.properties': 'enemy.types=aliens,monsters\nplayer.maximum-lives=5\n',
      'user-interface.properties': 'color.good=purple\ncolor.bad=yellow\nallow.textmode=true\n',
    },
  });
}

export function piJob(): Job {
  return inNamespace<Job>({
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: 'pi' },
    spec: {
      template: {
        spec: {
          containers: [
            { name: 'pi', image: 'perl:5.34.0', command: ['perl', '-Mbignum=bpi', '-wle', 'print bpi(2000)'] },
          ],
          restartPolicy: 'Never',
        },
      },
      backoffLimit: 4,
    },
  });
}

export function helloCronJob(): CronJob {
  return inNamespace<CronJob>({
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: { name: 'hello' },
    spec: {
      schedule: '* * * * *',
      jobTemplate: {
        spec: {
          template: {
            spec: {
              containers: [
                {
                  name: 'hello',
                  image: 'busybox:1.28',
                  imagePullPolicy: 'IfNotPresent',
                  command: ['/bin/sh', '-c', 'date; echo Hello from the Kubernetes cluster'],
                },
              ],
              restartPolicy: 'OnFailure',
            },
          },
        },
      },
    },
  });
}

export function webStatefulSet(): StatefulSet {
  return inNamespace<StatefulSet>({
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name: 'web' },
    spec: {
      selector: { matchLabels: { app: 'nginx' } },
      serviceName: 'nginx',
      replicas: 3,
      minReadySeconds: 10,
      template: {
        metadata: { labels: { app: 'nginx' } },
        spec: {
          terminationGracePeriodSeconds: 10,
          containers: [
            {
              name: 'nginx',
              image: 'registry.k8s.io/nginx-slim:0.24',
              ports: [{ containerPort: 80, name: 'web' }],
              volumeMounts: [{ name: 'www', mountPath: '/usr/share/nginx/html' }],
            },
          ],
        },
      },
      volumeClaimTemplates: [
        {
          metadata: { name: 'www' },
          spec: {
            accessModes: ['ReadWriteOnce'],
            storageClassName: 'my-storage-class',
            resources: { requests: { storage: '1Gi' } },
          },
        },
      ],
    },
  });
}

/** The pod from "Configure Liveness, Readiness and Startup Probes", with an env var and a volume added. */
export function livenessPod(): Pod {
  return inNamespace<Pod>({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'liveness-http', labels: { test: 'liveness' } },
    spec: {
      containers: [
        {
          name: 'liveness',
          image: 'registry.k8s.io/e2e-test-images/agnhost:2.40',
          args: ['liveness'],
          env: [{ name: 'MY_POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }],
          livenessProbe: {
            httpGet: { path: '/healthz', port: 8080, httpHeaders: [{ name: 'Custom-Header', value: 'Awesome' }] },
            initialDelaySeconds: 3,
            periodSeconds: 3,
          },
          resources: { limits: { cpu: '500m', memory: '128Mi' } },
          volumeMounts: [{ name: 'cache', mountPath: '/cache' }],
        },
      ],
      volumes: [{ name: 'cache', emptyDir: {} }],
    },
  });
}
