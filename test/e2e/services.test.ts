/**
 * Issue 6, acceptance 1-4, on a real cluster through kubectl 1.35: `kubectl expose` puts a
 * ClusterIP and a NodePort Service in front of a 3-replica busybox httpd Deployment whose
 * pods serve their own hostname. tkube-proxy's iptables rules balance a client pod's
 * requests to the ClusterIP and to the name the cluster DNS answers over every pod; the
 * NodePort answers on 127.0.0.1; scaling down and a pod turning not Ready take traffic away
 * within seconds; a deleted Service leaves no rule; a restarted proxy keeps traffic flowing.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Service } from '@tkube/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCluster, type TestCluster } from './harness/cluster.js';
import { hostCommand, httpGet, inCidr, isAlive } from './harness/host.js';
import { manifest } from './harness/manifests.js';
import { NODE, readyCondition } from './harness/pods.js';
import { waitUntil } from './harness/wait.js';
import { activePods, isServing } from './harness/workloads.js';

const NS = 'net';
const APP = 'app=web';
let cluster: TestCluster;
let clusterIP = '';

beforeAll(async () => {
  cluster = await startTestCluster();
  await cluster.kubectl(['create', 'namespace', NS]);
  await cluster.kubectl(['apply', '-n', NS, '-f', manifest('rollout')]);
  await cluster.kubectl(['rollout', 'status', 'deploy/web', '-n', NS, '--timeout=50s']);
});
afterAll(async () => {
  await cluster?.destroy();
});

async function getService(name: string, namespace = NS): Promise<Service> {
  return JSON.parse(await cluster.kubectl(['get', 'svc', name, '-n', namespace, '-o', 'json'])) as Service;
}

/**
 * `count` HTTP requests from the client pod, each on a new connection (busybox nc; its wget
 * crashes in these images): the bodies, i.e. the hostnames of the pods that answered.
 */
async function requestsFromClient(target: string, count: number): Promise<string[]> {
  const script = `for i in $(seq ${count}); do printf 'GET / HTTP/1.0\\r\\n\\r\\n' | nc -w 2 ${target} 80 | tail -1; echo; done`;
  const out = await cluster.kubectl(['exec', '-n', NS, 'client', '--', 'sh', '-c', script]);
  return out
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '');
}

/** `count` requests from the host to the ClusterIP (tkube-proxy's nat OUTPUT rules). */
async function requestsFromHost(count: number): Promise<string[]> {
  const bodies: string[] = [];
  for (let i = 0; i < count; i++) {
    const answer = await httpGet(`http://${clusterIP}/`, 1_000).catch(() => ({ status: 0, body: 'no answer' }));
    bodies.push(answer.body.trim());
  }
  return bodies;
}

const servingPodNames = async () =>
  (await activePods(cluster, NS, APP)).filter(isServing).map((pod) => pod.metadata?.name ?? '');

describe('acceptance: Services in front of pods', () => {
  it('1: kubectl expose gives a ClusterIP that a client pod reaches by address and by name, balanced over all 3 pods', async () => {
    expect(
      await cluster.kubectl(['expose', 'deployment', 'web', '-n', NS, '--port', '80', '--target-port', '8080']),
    ).toBe('service/web exposed\n');
    const service = await getService('web');
    clusterIP = service.spec?.clusterIP ?? '';
    expect(inCidr(clusterIP, cluster.serviceCidr)).toBe(true);
    await cluster.kubectl(['run', 'client', '-n', NS, '--image=busybox:1.35', '--', 'sleep', '3600']);
    await cluster.kubectl(['wait', '-n', NS, '--for=condition=Ready', 'pod/client', '--timeout=40s']);

    // The kubelet gave the client the cluster DNS and the Service's variables.
    const resolv = await cluster.kubectl(['exec', '-n', NS, 'client', '--', 'cat', '/etc/resolv.conf']);
    const dnsAddress = (await getService('kube-dns', 'kube-system')).spec?.clusterIP;
    expect(resolv).toContain(`nameserver ${dnsAddress}`);
    expect(resolv).toContain(`search ${NS}.svc.cluster.local svc.cluster.local cluster.local`);
    expect(resolv).toContain('options ndots:5');
    const env = await cluster.kubectl(['exec', '-n', NS, 'client', '--', 'env']);
    expect(env).toContain(`WEB_SERVICE_HOST=${clusterIP}\n`);
    expect(env).toContain('WEB_SERVICE_PORT=80\n');
    expect(env).toContain(`WEB_PORT_80_TCP=tcp://${clusterIP}:80\n`);

    const lookup = await cluster.kubectl(['exec', '-n', NS, 'client', '--', 'nslookup', `web.${NS}.svc.cluster.local`]);
    expect(lookup).toContain(`Address: ${clusterIP}`);
    const pods = (await servingPodNames()).sort();
    expect(pods).toHaveLength(3);
    for (const target of [clusterIP, `web.${NS}.svc.cluster.local`]) {
      const answers = await requestsFromClient(target, 30);
      expect(answers).toHaveLength(30);
      expect([...new Set(answers)].sort()).toEqual(pods);
    }
  });

  it('2: a NodePort Service answers on 127.0.0.1 from the host, also one patched from ClusterIP', async () => {
    await cluster.kubectl([
      'expose',
      'deployment',
      'web',
      '-n',
      NS,
      '--name',
      'web-np',
      '--type',
      'NodePort',
      '--port',
      '80',
      '--target-port',
      '8080',
    ]);
    const nodePort = (await getService('web-np')).spec?.ports?.[0]?.nodePort ?? 0;
    const [low = 0, high = 0] = cluster.nodePortRange.split('-').map(Number);
    expect(nodePort).toBeGreaterThanOrEqual(low);
    expect(nodePort).toBeLessThanOrEqual(high);
    const pods = await servingPodNames();
    let answer = { status: 0, body: '' };
    await waitUntil('the NodePort to answer', async () => {
      answer = await httpGet(`http://127.0.0.1:${nodePort}/`, 1_000).catch(() => ({ status: 0, body: '' }));
      return answer.status === 200;
    });
    expect(pods).toContain(answer.body.trim());

    // kubectl patch makes the ClusterIP Service a NodePort one: same address, a node port that answers.
    await cluster.kubectl(['patch', 'svc', 'web', '-n', NS, '-p', '{"spec":{"type":"NodePort"}}']);
    const patched = (await getService('web')).spec;
    expect(patched?.clusterIP).toBe(clusterIP);
    const webNodePort = patched?.ports?.[0]?.nodePort ?? 0;
    expect(webNodePort).toBeGreaterThanOrEqual(low);
    expect(webNodePort).toBeLessThanOrEqual(high);
    expect(webNodePort).not.toBe(nodePort);
    await waitUntil('the patched Service to answer on its node port', async () => {
      const reply = await httpGet(`http://127.0.0.1:${webNodePort}/`, 1_000).catch(() => ({ status: 0, body: '' }));
      return reply.status === 200;
    });
  });

  it('3: a pod that turns not Ready gets no traffic, and after a scale to 1 every request reaches the pod left within 2 s', async () => {
    const [unready = '', ...others] = (await servingPodNames()).sort();
    // Its readiness probe GETs / : without the page it fails.
    await cluster.kubectl(['exec', '-n', NS, unready, '--', 'rm', '/www/index.html']);
    await waitUntil(
      `${unready} to turn not Ready`,
      async () =>
        readyCondition(JSON.parse(await cluster.kubectl(['get', 'pod', unready, '-n', NS, '-o', 'json']))) === 'False',
      20_000,
      250,
    );
    // The endpoint follows the condition, the rules follow the endpoint: wait until the host
    // sees it gone, then every client request must miss it.
    await waitUntil(
      `${unready} to get no more requests`,
      async () => !(await requestsFromHost(10)).includes(unready),
      10_000,
      100,
    );
    const answers = await requestsFromClient(clusterIP, 20);
    expect(answers).toHaveLength(20);
    expect(answers).not.toContain(unready);
    expect([...new Set(answers)].sort()).toEqual(others);

    await cluster.kubectl(['scale', 'deploy/web', '-n', NS, '--replicas=1']);
    const scaledAt = Date.now();
    let left: string[] = [];
    await waitUntil(
      'one pod left',
      async () => {
        left = await servingPodNames();
        return left.length === 1;
      },
      10_000,
      100,
    );
    await waitUntil(
      `every request to reach ${left[0]}`,
      async () => (await requestsFromHost(10)).every((body) => body === left[0]),
      10_000,
      50,
    );
    const settledMs = Date.now() - scaledAt;
    expect(settledMs).toBeLessThan(2_000);
    expect(new Set(await requestsFromClient(clusterIP, 10))).toEqual(new Set(left));
  });

  it('4: a deleted Service leaves no iptables rule; a restarted proxy keeps traffic flowing', async () => {
    await cluster.kubectl(['delete', 'svc', 'web', '-n', NS]);
    await waitUntil(
      'the rules of net/web to go',
      async () => {
        const rules = await hostCommand('iptables-save', []);
        return !rules.includes(`${NS}/web:`) && !rules.includes(clusterIP);
      },
      5_000,
      100,
    );

    const nodePort = (await getService('web-np')).spec?.ports?.[0]?.nodePort ?? 0;
    const pidFile = join(cluster.dataDir, 'run', `proxy-${NODE}.pid`);
    const { pid } = JSON.parse(await readFile(pidFile, 'utf8')) as { pid: number };
    process.kill(pid, 'SIGTERM');
    await waitUntil('the proxy to stop', () => !isAlive(pid), 20_000, 100);
    // Stopped, its rules stay: the NodePort still answers.
    expect((await httpGet(`http://127.0.0.1:${nodePort}/`, 1_000)).status).toBe(200);
    const up = await cluster.tkube('up');
    expect(up.stdout).toContain(`✓ Starting the proxy of ${NODE}`);
    for (let i = 0; i < 10; i++) expect((await httpGet(`http://127.0.0.1:${nodePort}/`, 1_000)).status).toBe(200);
  });
});
