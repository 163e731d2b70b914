#!/usr/bin/env node
/**
 * tkube-apiserver: flags, a JSON logger, the server, and a clean stop on SIGTERM/SIGINT.
 * Exit codes: 0 after a clean stop, 1 when the server cannot start, 2 for bad flags.
 */
import { pino } from 'pino';
import { FlagError, parseFlags, USAGE } from './config/flags.js';
import { startApiServer } from './server.js';

/** A stop that takes longer than this is cut short (a stuck connection must not block exit). */
const STOP_DEADLINE_MS = 20_000;

async function main(argv: string[]): Promise<number> {
  let parsed: ReturnType<typeof parseFlags>;
  try {
    parsed = parseFlags(argv);
  } catch (err) {
    if (!(err instanceof FlagError)) throw err;
    process.stderr.write(`tkube-apiserver: ${err.message}\n\n${USAGE}\n`);
    return 2;
  }
  if (parsed.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const logger = pino({ level: parsed.config.logLevel, base: { component: 'apiserver', pid: process.pid } });

  let server: Awaited<ReturnType<typeof startApiServer>>;
  try {
    server = await startApiServer(parsed.config, { logger });
  } catch (err) {
    logger.fatal({ err }, 'the apiserver could not start');
    return 1;
  }

  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    process.once('SIGTERM', () => resolve('SIGTERM'));
    process.once('SIGINT', () => resolve('SIGINT'));
  });
  logger.info({ signal }, 'stopping');
  // A second signal while stopping means "now".
  const now = () => process.exit(1);
  process.once('SIGTERM', now);
  process.once('SIGINT', now);
  const deadline = setTimeout(() => {
    logger.error({ deadlineMs: STOP_DEADLINE_MS }, 'stopping took too long; exiting');
    process.exit(1);
  }, STOP_DEADLINE_MS);
  deadline.unref();
  await server.stop();
  clearTimeout(deadline);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`tkube-apiserver: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);
