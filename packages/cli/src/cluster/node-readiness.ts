/**
 * "Is every node Ready?", as the apiserver sees it: GET /api/v1/nodes, then each expected
 * node must have condition Ready=True posted by its current kubelet. A Ready=True left by a
 * kubelet that was stopped would mislead (no controller marks it Unknown yet), so the
 * condition's lastHeartbeatTime must not be older than the kubelet's start; a kubelet posts
 * its status as soon as it has registered.
 */
import { request } from 'node:https';

const REQUEST_TIMEOUT_MS = 5_000;

export interface ExpectedNode {
  name: string;
  /** When its kubelet process started. */
  kubeletStartedAt: Date;
}

/** Why each node that is not Ready is not (empty: all are). */
export function unreadyNodes(
  nodeList: unknown,
  expected: readonly ExpectedNode[],
): Array<{ name: string; why: string }> {
  const byName = new Map<string, unknown>();
  const items = isRecord(nodeList) && Array.isArray(nodeList.items) ? nodeList.items : [];
  for (const item of items) {
    const name = isRecord(item) && isRecord(item.metadata) ? item.metadata.name : undefined;
    if (typeof name === 'string') byName.set(name, item);
  }
  const unready: Array<{ name: string; why: string }> = [];
  for (const { name, kubeletStartedAt } of expected) {
    const why = notReadyReason(byName.get(name), kubeletStartedAt);
    if (why) unready.push({ name, why });
  }
  return unready;
}

function notReadyReason(node: unknown, kubeletStartedAt: Date): string | undefined {
  if (node === undefined) return 'not registered';
  const status = isRecord(node) && isRecord(node.status) ? node.status : {};
  const conditions = Array.isArray(status.conditions) ? status.conditions.filter(isRecord) : [];
  const ready = conditions.find((c) => c.type === 'Ready');
  if (!ready) return 'no Ready condition yet';
  if (ready.status !== 'True') {
    const detail = [ready.reason, ready.message].filter((part) => typeof part === 'string' && part !== '').join(': ');
    return `Ready=${String(ready.status)}${detail ? ` (${detail})` : ''}`;
  }
  // RFC 3339 times have whole seconds: compare with the start rounded down.
  const heartbeat = typeof ready.lastHeartbeatTime === 'string' ? Date.parse(ready.lastHeartbeatTime) : Number.NaN;
  const startSecond = Math.floor(kubeletStartedAt.getTime() / 1000) * 1000;
  if (!(heartbeat >= startSecond)) return 'Ready=True is from before its kubelet started';
  return undefined;
}

/** GET <server>/api/v1/nodes trusting only the cluster's CA. */
export function listNodes(server: string, caCertPem: string, token: string): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const req = request(
      new URL('/api/v1/nodes', server),
      {
        ca: caCertPem,
        timeout: REQUEST_TIMEOUT_MS,
        headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          body += chunk;
        });
        res.on('error', reject);
        res.on('end', () => {
          if (res.statusCode !== 200) {
            reject(new Error(`GET /api/v1/nodes answered ${res.statusCode}: ${body.slice(0, 200)}`));
            return;
          }
          try {
            resolve(JSON.parse(body));
          } catch {
            reject(new Error('GET /api/v1/nodes answered something other than JSON'));
          }
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error(`GET /api/v1/nodes took over ${REQUEST_TIMEOUT_MS / 1000}s`)));
    req.on('error', reject);
    req.end();
  });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}
