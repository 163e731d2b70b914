/**
 * Issue 3, acceptance 1: a pod bound to the node (busybox httpd) runs on real Docker within
 * seconds, gets an address of the node's pod CIDR (node IPAM's block of the cluster's
 * range) behind the node's bridge, answers HTTP
 * from the host, and kubectl 1.35's logs, logs -f, exec, exec -i and exec -it work.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCluster, type TestCluster, type TestNode } from './harness/cluster.js';
import { hostCommand, httpGet, inCidr } from './harness/host.js';
import { KUBECTL } from './harness/paths.js';
import { applyObjects, BUSYBOX, busyboxPod, isRunning, waitForPod } from './harness/pods.js';
import { run } from './harness/run.js';
import { waitUntil } from './harness/wait.js';

let cluster: TestCluster;
let node: TestNode;
let podIP = '';

beforeAll(async () => {
  cluster = await startTestCluster();
  const first = cluster.nodes[0];
  if (!first) throw new Error('the cluster has no node');
  node = first;
});
afterAll(async () => {
  await cluster?.destroy();
});

// Prints a line, serves /www, and prints whatever is dropped into /tmp/say (for logs -f).
const WEB_SCRIPT = [
  'echo web is starting',
  'mkdir -p /www && echo hello > /www/index.html',
  '(while true; do if [ -f /tmp/say ]; then cat /tmp/say; rm /tmp/say; fi; sleep 0.2; done) &',
  'exec httpd -f -p 8080 -h /www',
].join('\n');

describe('a pod with nodeName on Docker', () => {
  it('is Running within 10 s with an IP of the node’s pod CIDR, behind the node’s bridge', async () => {
    const created = Date.now();
    await applyObjects(
      cluster,
      busyboxPod('web', { containers: [{ name: 'web', image: BUSYBOX, command: ['sh', '-c', WEB_SCRIPT] }] }),
    );
    const pod = await waitForPod(cluster, 'web', 'Running', isRunning, 10_000);
    expect(Date.now() - created).toBeLessThan(10_000);

    podIP = pod.status?.podIP ?? '';
    // The node's block is node IPAM's choice, out of the cluster's range.
    const podCIDR = await cluster.kubectl(['get', 'node', node.name, '-o', 'jsonpath={.spec.podCIDR}']);
    expect(podCIDR).toMatch(/\/24$/);
    expect(inCidr(podCIDR.replace(/\/24$/, ''), cluster.clusterCidr)).toBe(true);
    expect(inCidr(podIP, podCIDR)).toBe(true);
    const gateway = podCIDR.replace(/\.0\/24$/, '.1');
    expect(podIP).not.toBe(gateway);
    expect(await hostCommand('ip', ['-4', 'addr', 'show', node.bridge])).toContain(`inet ${gateway}/24`);
  });

  it('answers HTTP from the host on its pod IP', async () => {
    let body = '';
    await waitUntil(
      `http://${podIP}:8080/ to answer`,
      async () => {
        body = await httpGet(`http://${podIP}:8080/`).then(
          (r) => r.body,
          () => '',
        );
        return body !== '';
      },
      10_000,
      200,
    );
    expect(body).toBe('hello\n');
  });

  it('shows the container’s output with kubectl logs, and streams later lines with logs -f', async () => {
    expect(await cluster.kubectl(['logs', 'web'])).toContain('web is starting\n');

    const follow = cluster.kubectl.spawn(['logs', '-f', 'web']);
    try {
      await follow.waitFor(/web is starting/, 10_000);
      await cluster.kubectl(['exec', 'web', '--', 'sh', '-c', 'echo printed-later > /tmp/say']);
      await follow.waitFor(/printed-later/, 10_000);
    } finally {
      await follow.stop();
    }
  });

  it('runs commands with kubectl exec, and with stdin (exec -i)', async () => {
    expect(await cluster.kubectl(['exec', 'web', '--', 'cat', '/www/index.html'])).toBe('hello\n');

    const input = 'twelve bytes';
    const counted = await cluster.kubectl(['exec', '-i', 'web', '--', 'sh', '-c', 'cat > /tmp/x; wc -c < /tmp/x'], {
      input,
    });
    expect(counted.trim()).toBe(String(input.length));
  });

  it('runs a command in a terminal with kubectl exec -it', async () => {
    // util-linux `script` gives kubectl a pseudo-terminal, so it asks for a TTY as a user's shell would.
    const inTerminal = await run('script', ['-qec', `${KUBECTL} exec -it web -- sh -c 'tty; echo hi'`, '/dev/null'], {
      env: { ...process.env, KUBECONFIG: cluster.kubeconfig },
      timeoutMs: 30_000,
    });
    expect(inTerminal.stdout).toMatch(/\/dev\/pts\/\d+\r?\n/);
    expect(inTerminal.stdout).toMatch(/^hi\r?$/m);
    expect(inTerminal.code).toBe(0);
  });
});
