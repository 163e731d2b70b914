/**
 * A command is a pipeline of named steps, each printed as it runs, kind-style:
 *
 *    • Starting NATS (JetStream) ...        (while it runs)
 *    ✓ Starting NATS (JetStream)  pid 41, nats://127.0.0.1:4222
 *    ✗ Starting the API server              (and the error, with where its log is)
 *
 * The first failing step ends the pipeline; later components (scheduler, controllers,
 * nodes) join by adding steps, not by changing the runner.
 */
import type { Output } from './output.js';

export interface StepReport {
  /** Shown after the title: what the step found or made ("pid 41, 127.0.0.1:4222"). */
  detail?: string;
}

export interface Step<Context> {
  title: string;
  execute(context: Context): Promise<StepReport | undefined>;
}

/** A failure a user can act on: the message, and where to look next (a log file). */
export class StepError extends Error {
  override name = 'StepError';
  constructor(
    message: string,
    readonly hints: readonly string[] = [],
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export type StepOutcome = { ok: true } | { ok: false; failedStep: string; error: unknown };

export async function runSteps<Context>(
  steps: readonly Step<Context>[],
  context: Context,
  output: Output,
): Promise<StepOutcome> {
  for (const step of steps) {
    output.stepStarted(step.title);
    let report: StepReport | undefined;
    try {
      report = await step.execute(context);
    } catch (error) {
      output.stepFailed(step.title);
      output.error(describeFailure(error));
      return { ok: false, failedStep: step.title, error };
    }
    output.stepDone(step.title, report?.detail);
  }
  return { ok: true };
}

export function describeFailure(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const hints = error instanceof StepError ? error.hints : [];
  return [message, ...hints.map((hint) => `  ${hint}`)].join('\n');
}
