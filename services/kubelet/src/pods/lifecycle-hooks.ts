/**
 * PostStart and PreStop hooks (kube's lifecycle handler runner): exec in the container,
 * httpGet to the pod, or sleep. A hook's failure is reported with kube's message.
 */
import type { Container } from '@tkube/api';
import { type HandlerTarget, runHandler } from '../probes/probe-runners.js';

type LifecycleHandler = NonNullable<NonNullable<Container['lifecycle']>['postStart']>;

export async function runLifecycleHook(handler: LifecycleHandler, target: HandlerTarget): Promise<string | undefined> {
  if (handler.sleep) {
    await new Promise((resolve) =>
      setTimeout(resolve, Math.min(handler.sleep?.seconds ?? 0, target.timeoutMs / 1000) * 1000),
    );
    return undefined;
  }
  const result = await runHandler(handler, target);
  if (result.outcome === 'success') return undefined;
  if (handler.exec) {
    return `Exec lifecycle hook (${JSON.stringify(handler.exec.command ?? [])}) for Container "${target.container.name}" failed - error: ${result.output}`;
  }
  return `HTTP lifecycle hook (${handler.httpGet?.path ?? '/'}) for Container "${target.container.name}" failed - error: ${result.output}`;
}
