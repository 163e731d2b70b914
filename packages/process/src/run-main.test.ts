import { describe, expect, it } from 'vitest';
import { FlagError, type ParsedFlags, parseCommandLine } from './flags.js';
import type { LogLevel } from './log-level.js';
import { type MainProgram, type ProcessHost, runProgram, type Stoppable, type StopSignal } from './run-main.js';

interface Config {
  logLevel: LogLevel;
  name: string;
}

const USAGE = 'Usage: tkube-test [flags]\n\n  --name NAME   who';

function parseFlags(argv: readonly string[]): ParsedFlags<Config> {
  const values = parseCommandLine(argv, { name: { type: 'string' }, help: { type: 'boolean', short: 'h' } });
  if (values.help) return { help: true };
  if (values.name === 'bug') throw new TypeError('a bug in the parser');
  return { help: false, config: { logLevel: 'info', name: values.name ?? 'one' } };
}

/** A process whose output, log lines and signals a test sees and sends. */
class FakeHost implements ProcessHost {
  readonly pid = 4242;
  out = '';
  err = '';
  readonly logs: Record<string, unknown>[] = [];
  private listeners: ((signal: StopSignal) => void)[] = [];
  readonly logDestination = { write: (line: string) => this.logs.push(JSON.parse(line)) };
  writeOut(text: string) {
    this.out += text;
  }
  writeErr(text: string) {
    this.err += text;
  }
  onSignal(listener: (signal: StopSignal) => void) {
    this.listeners.push(listener);
  }
  get listening(): boolean {
    return this.listeners.length > 0;
  }
  signal(signal: StopSignal) {
    for (const listener of this.listeners) listener(signal);
  }
  messages(): unknown[] {
    return this.logs.map((line) => line.msg);
  }
}

function program(overrides: Partial<MainProgram<Config, Stoppable>> = {}): MainProgram<Config, Stoppable> {
  return {
    name: 'tkube-test',
    usage: USAGE,
    parseFlags,
    component: 'test',
    logFields: (config) => ({ node: config.name }),
    start: async () => ({ stop: async () => {} }),
    startFailure: 'the test program could not start',
    ...overrides,
  };
}

/** Resolves once `condition` holds; bounded, so a broken runner fails the test instead of hanging. */
async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 5));
  expect(condition()).toBe(true);
}

describe('runProgram', () => {
  it('prints the usage for --help and exits 0 without starting', async () => {
    const host = new FakeHost();
    let started = false;
    const code = await runProgram(
      program({
        start: async () => {
          started = true;
          return { stop: async () => {} };
        },
      }),
      ['-h'],
      host,
    );
    expect(code).toBe(0);
    expect(host.out).toBe(`${USAGE}\n`);
    expect(started).toBe(false);
  });

  it('prints a flag error with the usage and exits 2', async () => {
    const host = new FakeHost();
    expect(await runProgram(program(), ['--bogus'], host)).toBe(2);
    expect(host.err).toMatch(
      /^tkube-test: Unknown option '--bogus'.*\n\nUsage: tkube-test \[flags\]\n\n {2}--name NAME {3}who\n$/s,
    );
    const bare = new FakeHost();
    expect(await runProgram(program({ usage: undefined }), ['extra'], bare)).toBe(2);
    expect(bare.err).toBe('tkube-test: unexpected argument "extra"\n');
  });

  it('lets an error that is not a FlagError through, as the bug it is', async () => {
    await expect(runProgram(program(), ['--name', 'bug'], new FakeHost())).rejects.toThrow('a bug in the parser');
  });

  it('logs a failed start as fatal and exits 1', async () => {
    const host = new FakeHost();
    const start = async () => {
      throw new Error('port taken');
    };
    expect(await runProgram(program({ start }), [], host)).toBe(1);
    expect(host.logs).toEqual([
      expect.objectContaining({
        level: 60,
        component: 'test',
        node: 'one',
        pid: 4242,
        msg: 'the test program could not start',
        err: expect.objectContaining({ message: 'port taken' }),
      }),
    ]);
  });

  it('runs until SIGTERM, then stops and exits 0', async () => {
    const host = new FakeHost();
    let stopped = false;
    let loggerGiven = false;
    const running = runProgram(
      program({
        start: async (_config, logger) => {
          logger.info({}, 'serving');
          loggerGiven = true;
          return { stop: async () => void (stopped = true) };
        },
      }),
      ['--name', 'node-1'],
      host,
    );
    await until(() => loggerGiven);
    expect(stopped).toBe(false);
    host.signal('SIGTERM');
    expect(await running).toBe(0);
    expect(stopped).toBe(true);
    expect(host.messages()).toEqual(['serving', 'stopping', 'stopped']);
    expect(host.logs[1]).toMatchObject({ component: 'test', node: 'node-1', pid: 4242, signal: 'SIGTERM' });
  });

  it('exits 1 when stopping fails', async () => {
    const host = new FakeHost();
    const start = async () => ({
      stop: async () => {
        throw new Error('disk gone');
      },
    });
    const running = runProgram(program({ start }), [], host);
    await until(() => host.listening);
    host.signal('SIGINT');
    expect(await running).toBe(1);
    expect(host.logs.at(-1)).toMatchObject({ level: 50, msg: 'stopping failed', err: { message: 'disk gone' } });
  });

  it('cuts a stop that takes too long short and exits 1', async () => {
    const host = new FakeHost();
    const start = async () => ({ stop: () => new Promise<void>(() => {}) });
    const running = runProgram(program({ start, stopDeadlineMs: 50 }), [], host);
    await until(() => host.listening);
    host.signal('SIGTERM');
    expect(await running).toBe(1);
    expect(host.logs.at(-1)).toMatchObject({ msg: 'stopping took too long; exiting', deadlineMs: 50 });
  });

  it('takes a second signal while stopping as "now" and exits 1', async () => {
    const host = new FakeHost();
    const start = async () => ({ stop: () => new Promise<void>(() => {}) });
    const running = runProgram(program({ start }), [], host);
    await until(() => host.listening);
    host.signal('SIGTERM');
    await until(() => host.messages().includes('stopping'));
    host.signal('SIGINT');
    expect(await running).toBe(1);
    expect(host.logs.at(-1)).toMatchObject({ signal: 'SIGINT', msg: 'signalled again while stopping; exiting now' });
  });
});

describe('FlagError', () => {
  it('is an Error named FlagError', () => {
    const error = new FlagError('--x is bad');
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('FlagError');
  });
});
