/**
 * `tkube down` + `tkube up` keeps the cluster: every object comes back with the same uid
 * and resourceVersion (a Deployment, whose status its controller owns, with the same generation) (they live in NATS JetStream on the data dir), and the kubeconfig
 * written at the first `up` still works.
 */
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCluster, type TestCluster } from './harness/cluster.js';
import { manifest } from './harness/manifests.js';

const NS = 'keep';
let cluster: TestCluster;

beforeAll(async () => {
  cluster = await startTestCluster();
});
afterAll(async () => {
  await cluster?.destroy();
});

interface Listed {
  items: Array<{
    kind: string;
    metadata: { namespace?: string; name: string; uid: string; resourceVersion: string; generation?: number };
  }>;
}

async function snapshot(): Promise<Map<string, string>> {
  const list = JSON.parse(await cluster.kubectl(['get', 'ns,cm,deploy,svc', '-A', '-o', 'json'])) as Listed;
  return new Map(
    list.items.map((item) => [
      `${item.kind}/${item.metadata.namespace ?? ''}/${item.metadata.name}`,
      // A Deployment's status is the controller-manager's, which may write it again once the
      // kubelets are back: its spec and identity must stay, so uid and generation.
      item.kind === 'Deployment'
        ? `${item.metadata.uid} generation ${item.metadata.generation}`
        : `${item.metadata.uid}@${item.metadata.resourceVersion}`,
    ]),
  );
}

describe('tkube down && tkube up', () => {
  it('says so when up is run on a running cluster, and reports every component ready', async () => {
    const again = await cluster.tkube('up');
    expect(again.stdout).toContain('tkube is already up');
    const status = await cluster.tkube('status');
    expect(status.stdout).toMatch(/^nats\s+running\s+\d+\s+nats:\/\/127\.0\.0\.1:\d+\s+yes\s+-$/m);
    expect(status.stdout).toMatch(/^apiserver\s+running\s+\d+\s+https:\/\/127\.0\.0\.1:\d+\s+yes\s+-$/m);
    // The scheduler, controller-manager, DNS and each proxy name their /readyz, which answers,
    // with /healthz and /metrics beside it.
    for (const name of ['scheduler', 'controller-manager', 'dns', ...cluster.nodes.map((n) => `proxy-${n.name}`)]) {
      const readyz = new RegExp(`^${name}\\s+running\\s.*\\syes\\s+(http://127\\.0\\.0\\.1:\\d+/readyz)$`, 'm').exec(
        status.stdout,
      )?.[1];
      expect(readyz, `${name} in\n${status.stdout}`).toBeDefined();
      expect(await (await fetch(readyz ?? '')).text()).toBe('ok');
      const metrics = await (await fetch(readyz?.replace(/readyz$/, 'metrics') ?? '')).text();
      expect(metrics).toMatch(/^process_resident_memory_bytes \d+$/m);
    }
    expect((await cluster.tkube('kubeconfig')).stdout.trim()).toBe(cluster.kubeconfig);
  });

  it('keeps every object with the same uid and resourceVersion', async () => {
    await cluster.kubectl(['apply', '-f', '-'], {
      input: JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } }),
    });
    await cluster.kubectl(['apply', '-n', NS, '-f', manifest('web')]);
    await cluster.kubectl(['label', 'cm', 'web-config', '-n', NS, 'changed=yes']);
    const before = await snapshot();
    expect([...before.keys()]).toEqual(
      expect.arrayContaining([
        `Namespace//${NS}`,
        'Namespace//default',
        `ConfigMap/${NS}/web-config`,
        `Deployment/${NS}/web`,
        `Service/${NS}/web`,
      ]),
    );
    const kubeconfigBefore = await readFile(cluster.kubeconfig, 'utf8');

    const down = await cluster.tkube('down');
    expect(down.stdout).toContain('✓ Stopping the API server');
    expect(down.stdout).toContain('✓ Stopping NATS (JetStream)');
    const stopped = await cluster.kubectl.result(['get', 'ns']);
    expect(stopped.code).not.toBe(0);
    const status = await cluster.tkube('status').catch((err: { result?: { stdout: string } }) => err.result);
    expect(status?.stdout).toMatch(/^apiserver\s+stopped/m);

    const up = await cluster.tkube('up');
    expect(up.stdout).toContain('✓ Starting NATS (JetStream)');
    expect(up.stdout).toContain('✓ Starting the API server');
    expect(await readFile(cluster.kubeconfig, 'utf8')).toBe(kubeconfigBefore);
    expect(await snapshot()).toEqual(before);
  });

  it('goes on writing after the restart with newer resourceVersions', async () => {
    const before = Number(
      await cluster.kubectl(['get', 'cm', 'web-config', '-n', NS, '-o', 'jsonpath={.metadata.resourceVersion}']),
    );
    await cluster.kubectl(['label', 'cm', 'web-config', '-n', NS, 'after=restart']);
    const after = Number(
      await cluster.kubectl(['get', 'cm', 'web-config', '-n', NS, '-o', 'jsonpath={.metadata.resourceVersion}']),
    );
    expect(after).toBeGreaterThan(before);
  });
});
