/**
 * The life of a tkube process, the same for every program: parse the flags (help, or a
 * flag error with the usage and exit 2), make the JSON logger, start, then on SIGTERM or
 * SIGINT stop with a cut-off and exit 0, or 1 when stopping failed or took too long. A
 * second signal while stopping means "now" (exit 1). A start that fails is logged as fatal
 * (exit 1); anything thrown that nobody caught is printed with its stack (exit 1).
 */
import { type DestinationStream, type Logger, pino } from 'pino';
import { FlagError, type ParsedFlags } from './flags.js';
import type { LogLevel } from './log-level.js';

/** How long a stop may take unless the program says otherwise. */
export const DEFAULT_STOP_DEADLINE_MS = 20_000;

/** Exit codes, as the programs' documentation states them. */
export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_BAD_FLAGS = 2;

export interface Stoppable {
  /** Stops serving and lets go of what the program holds; the process exits after it. */
  stop(): Promise<void>;
}

export interface MainProgram<Config extends { logLevel: LogLevel }, Running extends Stoppable> {
  /** The command's name ("tkube-apiserver"), the prefix of what it writes to stderr. */
  name: string;
  /** Printed for --help and after a flag error. */
  usage?: string;
  /** Throws a FlagError for a command line that cannot be run. */
  parseFlags(argv: readonly string[]): ParsedFlags<Config>;
  /** The `component` field of every log line ("apiserver"). */
  component: string;
  /** More fields for every log line, after `component` (the kubelet's node name). */
  logFields?(config: Config): Record<string, unknown>;
  /** Starts the program; what it resolves with is stopped at the first signal. */
  start(config: Config, logger: Logger): Promise<Running>;
  /** The fatal log line when start fails ("the apiserver could not start"). */
  startFailure: string;
  /** A stop that takes longer is cut short (default DEFAULT_STOP_DEADLINE_MS). */
  stopDeadlineMs?: number;
}

export type StopSignal = 'SIGTERM' | 'SIGINT';

/** What a program needs of its process; tests give a fake one. */
export interface ProcessHost {
  readonly pid: number;
  writeOut(text: string): void;
  writeErr(text: string): void;
  /** Calls `listener` at every SIGTERM and SIGINT from now on. */
  onSignal(listener: (signal: StopSignal) => void): void;
  /** Where log lines go; stdout when absent. */
  readonly logDestination?: DestinationStream;
}

/** Runs `program` in this process and exits with its code. */
export function runMain<Config extends { logLevel: LogLevel }, Running extends Stoppable>(
  program: MainProgram<Config, Running>,
): void {
  runProgram(program, process.argv.slice(2), nodeProcessHost()).then(
    (code) => process.exit(code),
    (err: unknown) => {
      process.stderr.write(`${program.name}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
      process.exit(EXIT_FAILED);
    },
  );
}

/**
 * Runs `program` to its end and resolves with the exit code. After a cut-off (deadline or
 * second signal) it resolves without waiting for the stop, which the caller's exit ends.
 */
export async function runProgram<Config extends { logLevel: LogLevel }, Running extends Stoppable>(
  program: MainProgram<Config, Running>,
  argv: readonly string[],
  host: ProcessHost,
): Promise<number> {
  let parsed: ParsedFlags<Config>;
  try {
    parsed = program.parseFlags(argv);
  } catch (err) {
    if (!(err instanceof FlagError)) throw err;
    const usage = program.usage === undefined ? '' : `\n${program.usage.trimEnd()}\n`;
    host.writeErr(`${program.name}: ${err.message}\n${usage}`);
    return EXIT_BAD_FLAGS;
  }
  if (parsed.help) {
    host.writeOut(`${(program.usage ?? program.name).trimEnd()}\n`);
    return EXIT_OK;
  }
  const { config } = parsed;
  const logger = makeLogger(program, config, host);

  let running: Running;
  try {
    running = await program.start(config, logger);
  } catch (err) {
    logger.fatal({ err }, program.startFailure);
    return EXIT_FAILED;
  }

  // Listening only now leaves a signal during start to Node's default: the process ends.
  let onSignal: (signal: StopSignal) => void = () => {};
  host.onSignal((signal) => onSignal(signal));
  const signal = await new Promise<StopSignal>((resolve) => {
    onSignal = resolve;
  });
  logger.info({ signal }, 'stopping');
  return stopWithin(running, program.stopDeadlineMs ?? DEFAULT_STOP_DEADLINE_MS, logger, (listener) => {
    onSignal = listener;
  });
}

function stopWithin(
  running: Stoppable,
  deadlineMs: number,
  logger: Logger,
  onSignal: (listener: (signal: StopSignal) => void) => void,
): Promise<number> {
  return new Promise((resolve) => {
    // A stuck connection or call must not keep the process from exiting.
    const deadline = setTimeout(() => {
      logger.error({ deadlineMs }, 'stopping took too long; exiting');
      resolve(EXIT_FAILED);
    }, deadlineMs);
    deadline.unref();
    onSignal((signal) => {
      logger.warn({ signal }, 'signalled again while stopping; exiting now');
      resolve(EXIT_FAILED);
    });
    running.stop().then(
      () => {
        clearTimeout(deadline);
        logger.info({}, 'stopped');
        resolve(EXIT_OK);
      },
      (err: unknown) => {
        clearTimeout(deadline);
        logger.error({ err }, 'stopping failed');
        resolve(EXIT_FAILED);
      },
    );
  });
}

function makeLogger<Config extends { logLevel: LogLevel }>(
  program: MainProgram<Config, Stoppable>,
  config: Config,
  host: ProcessHost,
): Logger {
  const options = {
    level: config.logLevel,
    base: { component: program.component, ...program.logFields?.(config), pid: host.pid },
  };
  return host.logDestination ? pino(options, host.logDestination) : pino(options);
}

function nodeProcessHost(): ProcessHost {
  return {
    pid: process.pid,
    writeOut: (text) => process.stdout.write(text),
    writeErr: (text) => process.stderr.write(text),
    onSignal: (listener) => {
      process.on('SIGTERM', () => listener('SIGTERM'));
      process.on('SIGINT', () => listener('SIGINT'));
    },
  };
}
