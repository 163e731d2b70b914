/**
 * The pod row of `kubectl get pods`: the status reason and ready/restart counts computed
 * as printPod in kubernetes/pkg/printers/internalversion/printers.go does, init
 * containers and sidecars included.
 */
import type { KubeObject } from '@tkube/api';
import { type Json, list, num, obj, str } from './fields.js';
import { ageSince } from './human-duration.js';
import { AGE_COLUMN, column, NAME_COLUMN, type Printer } from './table-types.js';

function isRestartable(container: Json | undefined): boolean {
  return container?.restartPolicy === 'Always';
}

function terminationReason(terminated: Json, prefix: string): string {
  if (str(terminated.reason) !== '') return `${prefix}${str(terminated.reason)}`;
  if (num(terminated.signal) !== 0) return `${prefix}Signal:${num(terminated.signal)}`;
  return `${prefix}ExitCode:${num(terminated.exitCode)}`;
}

function hasCondition(status: Json, type: string): boolean {
  return list(status.conditions).some((c) => c.type === type && c.status === 'True');
}

function later(a: string, b: unknown): string {
  const candidate = str(b);
  if (candidate === '') return a;
  return a === '' || Date.parse(candidate) > Date.parse(a) ? candidate : a;
}

function podCells(pod: KubeObject, now: number): unknown[] {
  const spec = obj(pod.spec);
  const status = obj(pod.status);
  const phase = str(status.phase);
  let reason = str(status.reason) !== '' ? str(status.reason) : phase;
  if (list(status.conditions).some((c) => c.type === 'PodScheduled' && c.reason === 'SchedulingGated')) {
    reason = 'SchedulingGated';
  }
  const initContainers = new Map(list(spec.initContainers).map((c) => [str(c.name), c]));
  let totalContainers = list(spec.containers).length;
  for (const container of initContainers.values()) if (isRestartable(container)) totalContainers++;

  let restarts = 0;
  let sidecarRestarts = 0;
  let readyContainers = 0;
  let lastRestart = '';
  let lastSidecarRestart = '';
  let initializing = false;
  const initStatuses = list(status.initContainerStatuses);
  for (const [index, container] of initStatuses.entries()) {
    restarts += num(container.restartCount);
    const finishedAt = obj(obj(container.lastState).terminated).finishedAt;
    lastRestart = later(lastRestart, finishedAt);
    const sidecar = isRestartable(initContainers.get(str(container.name)));
    if (sidecar) {
      sidecarRestarts += num(container.restartCount);
      lastSidecarRestart = later(lastSidecarRestart, finishedAt);
    }
    const state = obj(container.state);
    const terminated = state.terminated === undefined ? undefined : obj(state.terminated);
    const waiting = state.waiting === undefined ? undefined : obj(state.waiting);
    if (terminated && num(terminated.exitCode) === 0) continue;
    if (sidecar && container.started === true) {
      if (container.ready === true) readyContainers++;
      continue;
    }
    if (terminated) reason = terminationReason(terminated, 'Init:');
    else if (waiting && str(waiting.reason) !== '' && waiting.reason !== 'PodInitializing')
      reason = `Init:${str(waiting.reason)}`;
    else reason = `Init:${index}/${initContainers.size}`;
    initializing = true;
    break;
  }

  if (!initializing || hasCondition(status, 'Initialized')) {
    restarts = sidecarRestarts;
    lastRestart = lastSidecarRestart;
    let hasRunning = false;
    const statuses = list(status.containerStatuses);
    for (let i = statuses.length - 1; i >= 0; i--) {
      const container = statuses[i];
      restarts += num(container.restartCount);
      lastRestart = later(lastRestart, obj(obj(container.lastState).terminated).finishedAt);
      const state = obj(container.state);
      const waiting = obj(state.waiting);
      const terminated = state.terminated === undefined ? undefined : obj(state.terminated);
      if (str(waiting.reason) !== '') reason = str(waiting.reason);
      else if (terminated) reason = terminationReason(terminated, '');
      else if (container.ready === true && state.running !== undefined) {
        hasRunning = true;
        readyContainers++;
      }
    }
    if (reason === 'Completed' && hasRunning) reason = hasCondition(status, 'Ready') ? 'Running' : 'NotReady';
  }

  const deleting = pod.metadata?.deletionTimestamp !== undefined;
  if (deleting && status.reason === 'NodeLost') reason = 'Unknown';
  else if (deleting && phase !== 'Succeeded' && phase !== 'Failed') reason = 'Terminating';

  const restartText =
    restarts !== 0 && lastRestart !== '' ? `${restarts} (${ageSince(lastRestart, now)} ago)` : String(restarts);
  const podIP = str(list(status.podIPs)[0]?.ip, str(status.podIP)) || '<none>';
  const gates = list(spec.readinessGates);
  let readinessGates = '<none>';
  if (gates.length > 0) {
    const conditions = list(status.conditions);
    const passed = gates.filter(
      (gate) => conditions.find((c) => c.type === gate.conditionType)?.status === 'True',
    ).length;
    readinessGates = `${passed}/${gates.length}`;
  }
  return [
    pod.metadata?.name ?? '',
    `${readyContainers}/${totalContainers}`,
    reason,
    restartText,
    ageSince(pod.metadata?.creationTimestamp, now),
    podIP,
    str(spec.nodeName) || '<none>',
    str(status.nominatedNodeName) || '<none>',
    readinessGates,
  ];
}

export const podPrinter: Printer = {
  columns: [
    NAME_COLUMN,
    column('Ready', 'string', 'The aggregate readiness state of this pod for accepting traffic.'),
    column('Status', 'string', 'The aggregate status of the containers in this pod.'),
    column(
      'Restarts',
      'string',
      'The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.',
    ),
    AGE_COLUMN,
    column('IP', 'string', 'IP address allocated to the pod.', { priority: 1 }),
    column('Node', 'string', 'Name of the node the pod is scheduled on.', { priority: 1 }),
    column('Nominated Node', 'string', 'Name of the node the pod is nominated to run on.', { priority: 1 }),
    column('Readiness Gates', 'string', 'Readiness gates of the pod that passed.', { priority: 1 }),
  ],
  cells: podCells,
};
