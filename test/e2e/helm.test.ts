/**
 * helm 4, the reference client from deploy/tools.sh, installs, upgrades and uninstalls a
 * chart. helm 4 writes with server-side apply by default (`--server-side`, default true),
 * so this is server-side apply as a chart user meets it.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ConfigMap, Deployment, Service } from '@tkube/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCluster, type TestCluster } from './harness/cluster.js';
import { HELM } from './harness/paths.js';
import { run } from './harness/run.js';

const NS = 'helm-e2e';
let cluster: TestCluster;
let dir: string;

const CHART_FILES: Record<string, string> = {
  'Chart.yaml': 'apiVersion: v2\nname: web\nversion: 0.1.0\nappVersion: "1.35"\n',
  'values.yaml': 'replicas: 1\nimage: busybox:1.35\ngreeting: hello\nmotd: ""\n',
  'templates/deployment.yaml': `apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ .Release.Name }}
spec:
  replicas: {{ .Values.replicas }}
  selector:
    matchLabels:
      app: {{ .Release.Name }}
  template:
    metadata:
      labels:
        app: {{ .Release.Name }}
    spec:
      containers:
        - name: web
          image: {{ .Values.image }}
          command: ["httpd", "-f", "-p", "8080"]
          ports:
            - name: http
              containerPort: 8080
`,
  'templates/service.yaml': `apiVersion: v1
kind: Service
metadata:
  name: {{ .Release.Name }}
spec:
  selector:
    app: {{ .Release.Name }}
  ports:
    - port: 80
      targetPort: http
`,
  'templates/configmap.yaml': `apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ .Release.Name }}-config
data:
  greeting: {{ .Values.greeting | quote }}
  {{- if .Values.motd }}
  motd: {{ .Values.motd | quote }}
  {{- end }}
`,
};

async function helm(...args: string[]): Promise<string> {
  const result = await run(HELM, [...args, '--kubeconfig', cluster.kubeconfig, '--namespace', NS], {
    // helm keeps a cache and a config of its own: here, not in the user's home.
    env: {
      ...process.env,
      HELM_CACHE_HOME: join(dir, 'cache'),
      HELM_CONFIG_HOME: join(dir, 'config'),
      HELM_DATA_HOME: join(dir, 'data'),
    },
    timeoutMs: 120_000,
  });
  if (result.code !== 0) throw new Error(`helm ${args.join(' ')} exited ${result.code}:\n${result.stderr}`);
  return result.stdout;
}

async function getJson<T>(kind: string, name: string): Promise<T> {
  return JSON.parse(await cluster.kubectl(['get', kind, name, '-n', NS, '-o', 'json'])) as T;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tkube-helm-'));
  for (const [file, text] of Object.entries(CHART_FILES)) {
    await mkdir(join(dir, 'chart', file, '..'), { recursive: true });
    await writeFile(join(dir, 'chart', file), text);
  }
  cluster = await startTestCluster({ upFlags: ['--runtime', 'fake'] });
});

afterAll(async () => {
  await cluster?.destroy();
  await rm(dir, { recursive: true, force: true });
});

describe('helm 4 (server-side apply)', () => {
  it('installs a chart: its objects exist as rendered and the release is deployed', async () => {
    const installed = await helm('install', 'web', join(dir, 'chart'), '--create-namespace', '--set', 'motd=hi');
    expect(installed).toContain('STATUS: deployed');
    const deployment = await getJson<Deployment>('deployment', 'web');
    expect(deployment.spec?.replicas).toBe(1);
    expect(deployment.spec?.template.spec?.containers[0]?.image).toBe('busybox:1.35');
    expect(deployment.metadata?.annotations?.['meta.helm.sh/release-name']).toBe('web');
    const service = await getJson<Service>('service', 'web');
    expect(service.spec?.clusterIP).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    expect((await getJson<ConfigMap>('configmap', 'web-config')).data).toEqual({ greeting: 'hello', motd: 'hi' });
    // helm's record of the release.
    await getJson<unknown>('secret', 'sh.helm.release.v1.web.v1');
  });

  it('upgrades it: changed values reach the objects, what the chart no longer renders goes, the Service keeps its address', async () => {
    const clusterIP = (await getJson<Service>('service', 'web')).spec?.clusterIP;
    const upgraded = await helm(
      'upgrade',
      'web',
      join(dir, 'chart'),
      '--set',
      'replicas=2',
      '--set',
      'image=busybox:latest',
      '--set',
      'greeting=bonjour',
    );
    expect(upgraded).toContain('REVISION: 2');
    const deployment = await getJson<Deployment>('deployment', 'web');
    expect(deployment.spec?.replicas).toBe(2);
    expect(deployment.spec?.template.spec?.containers).toHaveLength(1);
    expect(deployment.spec?.template.spec?.containers[0]?.image).toBe('busybox:latest');
    expect(deployment.metadata?.generation).toBe(2);
    expect((await getJson<Service>('service', 'web')).spec?.clusterIP).toBe(clusterIP);
    expect((await getJson<ConfigMap>('configmap', 'web-config')).data).toEqual({ greeting: 'bonjour' });
    expect(await helm('list')).toMatch(/^web\s+helm-e2e\s+2\s+.*deployed/m);
  });

  it('uninstalls it: the objects and the release are gone', async () => {
    expect(await helm('uninstall', 'web')).toContain('release "web" uninstalled');
    const left = await cluster.kubectl(['get', 'deploy,svc,cm,secret', '-n', NS, '-o', 'name']);
    expect(left.split('\n').filter((line) => /web/.test(line))).toEqual([]);
  });
});
