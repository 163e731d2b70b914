import { describe, expect, it } from 'vitest';
import { ConsoleOutput, RecordingOutput } from './output.js';
import { runSteps, type Step, StepError } from './step-runner.js';

describe('runSteps', () => {
  it('runs the steps in order with one context and prints each with its detail', async () => {
    const output = new RecordingOutput();
    const steps: Step<string[]>[] = [
      {
        title: 'First',
        execute: async (seen) => {
          seen.push('first');
          return undefined;
        },
      },
      {
        title: 'Second',
        execute: async (seen) => {
          seen.push('second');
          return { detail: 'pid 7' };
        },
      },
    ];
    const seen: string[] = [];
    expect(await runSteps(steps, seen, output)).toEqual({ ok: true });
    expect(seen).toEqual(['first', 'second']);
    expect(output.lines).toEqual(['• First', '✓ First', '• Second', '✓ Second  pid 7']);
  });

  it('stops at the first failure and prints the error with its hints', async () => {
    const output = new RecordingOutput();
    let ranThird = false;
    const steps: Step<null>[] = [
      { title: 'Starting NATS', execute: async () => undefined },
      {
        title: 'Starting the API server',
        execute: async () => {
          throw new StepError('the API server exited (code 1) before it was ready', ['log: /d/logs/apiserver.log']);
        },
      },
      {
        title: 'Writing the kubeconfig',
        execute: async () => {
          ranThird = true;
          return undefined;
        },
      },
    ];
    const outcome = await runSteps(steps, null, output);
    expect(outcome.ok).toBe(false);
    expect(outcome.ok === false && outcome.failedStep).toBe('Starting the API server');
    expect(ranThird).toBe(false);
    expect(output.lines.slice(-2)).toEqual([
      '✗ Starting the API server',
      'ERROR: the API server exited (code 1) before it was ready\n  log: /d/logs/apiserver.log',
    ]);
  });
});

describe('ConsoleOutput', () => {
  function stream(isTTY: boolean) {
    const written: string[] = [];
    return { written, isTTY, write: (text: string) => written.push(text) };
  }

  it('prints the start and the result line when not on a terminal', () => {
    const out = stream(false);
    const err = stream(false);
    const console = new ConsoleOutput(out, err);
    console.stepStarted('Starting NATS (JetStream)');
    console.stepDone('Starting NATS (JetStream)', 'pid 9');
    console.error('boom');
    expect(out.written.join('')).toBe(' • Starting NATS (JetStream) ...\n ✓ Starting NATS (JetStream)  pid 9\n');
    expect(err.written.join('')).toBe('ERROR: boom\n');
  });

  it('replaces the running line on a terminal', () => {
    const out = stream(true);
    const console = new ConsoleOutput(out, stream(true));
    console.stepStarted('Checking prerequisites');
    console.stepFailed('Checking prerequisites');
    expect(out.written.join('')).toBe(' • Checking prerequisites ...\r\x1b[2K ✗ Checking prerequisites\n');
  });
});
