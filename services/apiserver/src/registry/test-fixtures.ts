/**
 * Shared set-up for the registry's unit tests: registries over a fresh MemoryStorage with a
 * clock the test moves, the system namespaces, and small valid objects.
 */

import type { WatchEvent } from '@tkube/api';
import { type KubeObject, StatusError } from '@tkube/api';
import { expect } from 'vitest';
import { MemoryStorage } from '../storage/memory-storage.js';
import { createRegistries, ensureSystemNamespaces, type Registries } from './registries.js';
import type { ServiceRanges } from './strategies/service-ranges.js';
import type { ResourceRegistry, ResourceWatch } from './types.js';

export interface TestCluster {
  storage: MemoryStorage;
  registries: Registries;
  clock: { now: Date; advance(seconds: number): void };
  registry(resource: string, group?: string, version?: string): ResourceRegistry;
}

export const START = new Date('2025-03-01T10:00:00Z');

export async function testCluster(
  options: { windowSize?: number; serviceRanges?: ServiceRanges } = {},
): Promise<TestCluster> {
  const storage = new MemoryStorage(options.windowSize ? { windowSize: options.windowSize } : {});
  const clock = {
    now: START,
    advance(seconds: number) {
      clock.now = new Date(clock.now.getTime() + seconds * 1000);
    },
  };
  const registries = createRegistries(storage, { clock: () => clock.now, serviceRanges: options.serviceRanges });
  await ensureSystemNamespaces(registries);
  return {
    storage,
    registries,
    clock,
    registry(resource, group, version) {
      const found = registries.get(group ?? groupOf(resource), version ?? versionOf(resource), resource);
      if (!found) throw new Error(`no registry for ${resource}`);
      return found;
    },
  };
}

function groupOf(resource: string): string {
  return ['deployments', 'replicasets', 'statefulsets', 'daemonsets'].includes(resource) ? 'apps' : '';
}

function versionOf(_resource: string): string {
  return 'v1';
}

export function configMap(
  name: string,
  data: Record<string, string> = { key: 'value' },
  labels?: Record<string, string>,
): KubeObject {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: labels ? { name, labels } : { name }, data };
}

export function pod(
  name: string,
  extra: { nodeName?: string; labels?: Record<string, string>; grace?: number } = {},
): KubeObject {
  const spec: Record<string, unknown> = { containers: [{ name: 'main', image: 'busybox:1.35' }] };
  if (extra.nodeName) spec.nodeName = extra.nodeName;
  if (extra.grace !== undefined) spec.terminationGracePeriodSeconds = extra.grace;
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, labels: extra.labels ?? { app: name } }, spec };
}

export function deployment(name: string, replicas = 2): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, labels: { app: name } },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: { containers: [{ name: 'main', image: 'busybox:1.35' }] },
      },
    },
  };
}

export function namespace(name: string): KubeObject {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name } };
}

/** Runs `action` expecting a StatusError; returns it for further checks. */
export async function statusErrorOf(action: () => Promise<unknown>): Promise<StatusError> {
  try {
    await action();
  } catch (err) {
    expect(err).toBeInstanceOf(StatusError);
    return err as StatusError;
  }
  throw new Error('expected a StatusError, but the call succeeded');
}

/** The next `count` events of a watch, failing after `timeoutMs` instead of hanging. */
export async function nextEvents(watch: ResourceWatch, count: number, timeoutMs = 2000): Promise<WatchEvent[]> {
  const iterator = watch.events[Symbol.asyncIterator]();
  const events: WatchEvent[] = [];
  const deadline = Date.now() + timeoutMs;
  while (events.length < count) {
    const remaining = deadline - Date.now();
    if (remaining <= 0) throw new Error(`timed out after ${events.length} of ${count} events`);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`timed out after ${events.length} of ${count} events`)), remaining);
    });
    try {
      const next = await Promise.race([iterator.next(), timeout]);
      if (next.done) break;
      events.push(next.value);
    } finally {
      clearTimeout(timer);
    }
  }
  return events;
}

/** Whether a watch delivers anything more within `ms` (it should not). */
export async function quietFor(watch: ResourceWatch, ms: number): Promise<WatchEvent | undefined> {
  const iterator = watch.events[Symbol.asyncIterator]();
  let timer: NodeJS.Timeout | undefined;
  const idle = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), ms);
  });
  const next = await Promise.race([iterator.next().then((r) => (r.done ? undefined : r.value)), idle]);
  clearTimeout(timer);
  return next;
}

export function names(items: KubeObject[]): string[] {
  return items.map((item) => item.metadata?.name ?? '');
}
