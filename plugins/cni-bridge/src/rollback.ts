/**
 * Undo steps of an operation that creates several things: each step that succeeded
 * registers its undo, and on failure they run newest first. An undo that fails is logged
 * and the rest still run: leaving one thing behind is better than leaving all of them.
 */

export interface UndoLogger {
  warn(fields: object, message: string): void;
}

export class Rollback {
  private readonly steps: Array<{ what: string; undo: () => Promise<unknown> }> = [];

  add(what: string, undo: () => Promise<unknown>): void {
    this.steps.push({ what, undo });
  }

  async run(logger: UndoLogger): Promise<void> {
    for (const step of this.steps.reverse()) {
      try {
        await step.undo();
      } catch (error) {
        logger.warn({ err: error, step: step.what }, 'rollback step failed');
      }
    }
    this.steps.length = 0;
  }
}
