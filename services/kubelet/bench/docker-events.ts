/**
 * Docker's own record of each pod's containers: the engine's event stream (GET /events on its
 * unix socket), filtered to one runtime instance's containers. Its nanosecond times split a
 * pod's startup into phases without any help from the kubelet: when the pause container
 * was created and started, when the app container was created and started.
 */
import http from 'node:http';
import { onJsonLines } from '../../../bench-kit/json-lines.ts';

export const DOCKER_SOCKET = '/var/run/docker.sock';
/** Labels cri-docker puts on every container (plugins/cri-docker/src/labels.ts). */
const INSTANCE_LABEL = 'io.tkube.cri.instance';
const TYPE_LABEL = 'io.kubernetes.docker.type';
const POD_NAME_LABEL = 'io.kubernetes.pod.name';

/** Epoch milliseconds of the first of each Docker action on a pod's containers. */
export interface PodDockerTimes {
  sandboxCreated?: number;
  sandboxStarted?: number;
  containerCreated?: number;
  containerStarted?: number;
}

interface DockerEvent {
  Type?: string;
  Action?: string;
  timeNano?: number;
  Actor?: { Attributes?: Record<string, string> };
}

export interface DockerEventLog {
  /** The first time of each action per pod name. */
  readonly pods: ReadonlyMap<string, PodDockerTimes>;
  /** Resolves once Docker answered the request (events after it are seen). */
  readonly opened: Promise<void>;
  stop(): void;
}

export function recordDockerEvents(instance: string): DockerEventLog {
  const pods = new Map<string, PodDockerTimes>();
  const filters = JSON.stringify({ type: ['container'], label: [`${INSTANCE_LABEL}=${instance}`] });
  let req: http.ClientRequest | undefined;
  const opened = new Promise<void>((resolve, reject) => {
    req = http.request({ socketPath: DOCKER_SOCKET, path: `/events?filters=${encodeURIComponent(filters)}` }, (res) => {
      if (res.statusCode !== 200) {
        reject(new Error(`docker events: HTTP ${res.statusCode}`));
        res.resume();
        return;
      }
      resolve();
      onJsonLines(res, (value) => note(pods, value as DockerEvent));
      res.on('error', () => undefined);
    });
    req.on('error', reject);
    req.end();
  });
  return { pods, opened, stop: () => req?.destroy() };
}

function note(pods: Map<string, PodDockerTimes>, event: DockerEvent): void {
  const labels = event.Actor?.Attributes ?? {};
  const pod = labels[POD_NAME_LABEL];
  if (!pod || event.timeNano === undefined) return;
  const sandbox = labels[TYPE_LABEL] === 'podsandbox';
  const key: keyof PodDockerTimes | undefined =
    event.Action === 'create'
      ? sandbox
        ? 'sandboxCreated'
        : 'containerCreated'
      : event.Action === 'start'
        ? sandbox
          ? 'sandboxStarted'
          : 'containerStarted'
        : undefined;
  if (!key) return;
  const times = pods.get(pod) ?? {};
  // The first one counts: a restart later is not startup.
  times[key] ??= event.timeNano / 1e6;
  pods.set(pod, times);
}
