/**
 * The Docker engine's floor for the same work without tkube: per "pod", create and start a
 * pause container with no network, then create and start an app container in its network
 * and IPC namespaces (what cri-docker asks of Docker), straight on the engine's API, with the
 * same window of pods in flight. No kubelet, CRI, CNI, apiserver or watch: whatever tkube
 * adds on top shows as the difference.
 */
import http from 'node:http';
import { DOCKER_SOCKET } from './docker-events.ts';
import { epochMs } from './kube-api.ts';

const INSTANCE_LABEL = 'io.tkube.cri.instance';
/** As cri-docker creates containers (plugins/cri-docker/src/docker/dockerode-engine.ts). */
const HOST_CONFIG = {
  RestartPolicy: { Name: 'no' },
  LogConfig: { Type: 'json-file', Config: { 'max-size': '50m', 'max-file': '2' } },
};

interface DockerResponse {
  status: number;
  body: string;
}

function docker(method: string, path: string, body?: unknown): Promise<DockerResponse> {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        socketPath: DOCKER_SOCKET,
        method,
        path,
        timeout: 60_000,
        headers:
          payload === undefined
            ? {}
            : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`docker ${method} ${path} timed out`)));
    req.on('error', reject);
    req.end(payload);
  });
}

async function expectDocker(method: string, path: string, expected: number[], body?: unknown): Promise<string> {
  const res = await docker(method, path, body);
  if (!expected.includes(res.status))
    throw new Error(`docker ${method} ${path}: ${res.status} ${res.body.slice(0, 300)}`);
  return res.body;
}

async function createContainer(body: Record<string, unknown>): Promise<string> {
  const created = JSON.parse(await expectDocker('POST', '/containers/create', [201], body)) as { Id: string };
  return created.Id;
}

export interface EngineFloor {
  /** Per pod, ms from the first create request to the app container's start returning. */
  podMs: number[];
  wallSeconds: number;
}

/**
 * Runs `pods` pause+app pairs with `inFlight` at a time, labelled with `label` as their
 * runtime instance (so a teardown that removes the cluster's containers removes them too),
 * then removes them.
 */
export async function measureEngineFloor(options: {
  pods: number;
  inFlight: number;
  pauseImage: string;
  appImage: string;
  label: string;
  deadline: number;
}): Promise<EngineFloor> {
  const pauses: string[] = [];
  const apps: string[] = [];
  const podMs: number[] = [];
  const labels = { [INSTANCE_LABEL]: options.label };
  let next = 0;
  // A failed lane stops the others before the clean-up lists what they made.
  let failed = false;
  const lane = async () => {
    for (let i = next++; i < options.pods && !failed; i = next++) {
      if (Date.now() > options.deadline) throw new Error('the engine floor ran out of time');
      const started = epochMs();
      const pause = await createContainer({
        Image: options.pauseImage,
        Labels: labels,
        HostConfig: { ...HOST_CONFIG, NetworkMode: 'none', IpcMode: 'shareable' },
      });
      pauses.push(pause);
      await expectDocker('POST', `/containers/${pause}/start`, [204, 304]);
      const app = await createContainer({
        Image: options.appImage,
        Cmd: ['sleep', '3600'],
        Labels: labels,
        HostConfig: { ...HOST_CONFIG, NetworkMode: `container:${pause}`, IpcMode: `container:${pause}` },
      });
      apps.push(app);
      await expectDocker('POST', `/containers/${app}/start`, [204, 304]);
      podMs.push(epochMs() - started);
    }
  };
  const started = performance.now();
  try {
    const lanes = await Promise.allSettled(
      Array.from({ length: options.inFlight }, () =>
        lane().catch((err: unknown) => {
          failed = true;
          throw err;
        }),
      ),
    );
    const failure = lanes.find((l) => l.status === 'rejected');
    if (failure) throw failure.reason;
    return { podMs, wallSeconds: (performance.now() - started) / 1000 };
  } finally {
    // App containers first: a pause container is in use while its app shares its namespaces.
    await removeAll(apps);
    await removeAll(pauses);
  }
}

async function removeAll(ids: string[]): Promise<void> {
  const queue = [...ids];
  const lane = async () => {
    for (let id = queue.pop(); id; id = queue.pop()) {
      await docker('DELETE', `/containers/${id}?force=true&v=true`).catch(() => undefined);
    }
  };
  await Promise.all(Array.from({ length: 5 }, lane));
}
