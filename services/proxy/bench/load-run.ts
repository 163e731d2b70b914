/**
 * A bounded burst of GETs: `requests` in all, `concurrency` in flight, and no new request
 * once `timeCapMs` has passed. Request i goes to targets[i % targets.length] (one target, or
 * the pod IPs in turn). Each request is a fresh connection (http-get.ts).
 */
import { type Target, timedGet } from './http-get.ts';

export interface LoadPlan {
  requests: number;
  concurrency: number;
  timeCapMs: number;
}

export interface LoadRun {
  /** Milliseconds of each answered request, in the order they ended. */
  latenciesMs: number[];
  /** Failures by message. */
  errors: Record<string, number>;
  /** Answers by body: the pod's hostname. */
  answeredBy: Record<string, number>;
  wallMs: number;
  /** True when the time cap stopped the run before `requests` were sent. */
  capped: boolean;
}

export async function runLoad(targets: readonly Target[], plan: LoadPlan): Promise<LoadRun> {
  const run: LoadRun = { latenciesMs: [], errors: {}, answeredBy: {}, wallMs: 0, capped: false };
  const started = performance.now();
  let sent = 0;
  const worker = async () => {
    while (sent < plan.requests) {
      if (performance.now() - started > plan.timeCapMs) {
        run.capped = true;
        return;
      }
      const target = targets[sent % targets.length];
      if (!target) throw new Error('runLoad needs at least one target');
      sent++;
      const result = await timedGet(target);
      if (result.ok) {
        run.latenciesMs.push(result.ms);
        run.answeredBy[result.body] = (run.answeredBy[result.body] ?? 0) + 1;
      } else {
        run.errors[result.error] = (run.errors[result.error] ?? 0) + 1;
      }
    }
  };
  await Promise.all(Array.from({ length: plan.concurrency }, worker));
  run.wallMs = performance.now() - started;
  return run;
}
