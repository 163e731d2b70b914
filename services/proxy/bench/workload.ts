/**
 * What the benchmark sends traffic to: a Deployment of busybox httpd pods, each serving its
 * own hostname from a small static file, with a readiness probe, and a ClusterIP Service in
 * front of them (port 80 -> 8080). Created through the REST API; ready once every pod is
 * Ready with an IP and the Service's EndpointSlices list each of them as ready.
 */
import type { RestClient } from '../../../bench-kit/rest-client.ts';

export const NAMESPACE = 'default';
export const APP = 'proxy-bench-web';
export const SERVICE_PORT = 80;
export const POD_PORT = 8080;
const IMAGE = 'busybox:1.35';
const POLL_MS = 500;

export interface ReadyWorkload {
  /** Each ready pod: its name (its hostname, so its answer) and IP. */
  pods: { name: string; ip: string }[];
  clusterIP: string;
}

function deployment(replicas: number): unknown {
  const labels = { app: APP };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: APP, namespace: NAMESPACE, labels },
    spec: {
      replicas,
      selector: { matchLabels: labels },
      template: {
        metadata: { labels },
        spec: {
          terminationGracePeriodSeconds: 1,
          containers: [
            {
              name: 'httpd',
              image: IMAGE,
              command: [
                'sh',
                '-c',
                `mkdir -p /www && hostname > /www/index.html && exec httpd -f -p ${POD_PORT} -h /www`,
              ],
              ports: [{ name: 'http', containerPort: POD_PORT, protocol: 'TCP' }],
              readinessProbe: { httpGet: { path: '/', port: POD_PORT }, periodSeconds: 1, failureThreshold: 3 },
            },
          ],
        },
      },
    },
  };
}

function service(): unknown {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: APP, namespace: NAMESPACE },
    spec: {
      type: 'ClusterIP',
      selector: { app: APP },
      ports: [{ name: 'http', port: SERVICE_PORT, targetPort: POD_PORT, protocol: 'TCP' }],
    },
  };
}

function record(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
}

function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

/** Creates the Service first (its ClusterIP is allocated by then), then the Deployment. */
export async function createWorkload(client: RestClient, replicas: number): Promise<string> {
  const created = record(await client.send('POST', `/api/v1/namespaces/${NAMESPACE}/services`, service()));
  const clusterIP = text(record(created.spec).clusterIP);
  if (clusterIP === '' || clusterIP === 'None')
    throw new Error(`the Service got no ClusterIP: ${JSON.stringify(created.spec)}`);
  await client.send('POST', `/apis/apps/v1/namespaces/${NAMESPACE}/deployments`, deployment(replicas));
  return clusterIP;
}

async function readyPods(client: RestClient): Promise<{ name: string; ip: string }[]> {
  const pods = record(await client.send('GET', `/api/v1/namespaces/${NAMESPACE}/pods?labelSelector=app%3D${APP}`));
  const ready: { name: string; ip: string }[] = [];
  for (const item of list(pods.items)) {
    const pod = record(item);
    const status = record(pod.status);
    if (record(pod.metadata).deletionTimestamp !== undefined) continue;
    const isReady = list(status.conditions).some((c) => record(c).type === 'Ready' && record(c).status === 'True');
    const ip = text(status.podIP);
    if (isReady && ip !== '') ready.push({ name: text(record(pod.metadata).name), ip });
  }
  return ready;
}

async function readyEndpointAddresses(client: RestClient): Promise<Set<string>> {
  const slices = record(
    await client.send(
      'GET',
      `/apis/discovery.k8s.io/v1/namespaces/${NAMESPACE}/endpointslices?labelSelector=kubernetes.io%2Fservice-name%3D${APP}`,
    ),
  );
  const addresses = new Set<string>();
  for (const slice of list(slices.items)) {
    for (const endpoint of list(record(slice).endpoints)) {
      if (record(record(endpoint).conditions).ready === false) continue;
      for (const address of list(record(endpoint).addresses)) addresses.add(text(address));
    }
  }
  return addresses;
}

/** Polls until `replicas` pods are Ready and all of them are the Service's ready endpoints. */
export async function waitUntilReady(
  client: RestClient,
  clusterIP: string,
  replicas: number,
  deadlineMs: number,
): Promise<ReadyWorkload> {
  const until = performance.now() + deadlineMs;
  let seen = 'nothing yet';
  while (performance.now() < until) {
    const pods = await readyPods(client);
    const endpoints = await readyEndpointAddresses(client);
    seen = `${pods.length} ready pods, endpoints ${[...endpoints].join(' ') || 'none'}`;
    if (pods.length === replicas && pods.every((p) => endpoints.has(p.ip))) {
      return { pods: pods.sort((a, b) => a.name.localeCompare(b.name)), clusterIP };
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  throw new Error(`the workload was not ready within ${deadlineMs / 1000} s: ${seen}`);
}
