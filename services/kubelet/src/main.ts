#!/usr/bin/env node
/**
 * tkube-kubelet: flags, a JSON logger, the kubelet, and a clean stop on SIGTERM/SIGINT
 * (pods keep running; the next kubelet adopts them). Exit codes: 0 after a clean stop,
 * 1 when the kubelet cannot start, 2 for bad flags.
 */
import { pino } from 'pino';
import { FlagError, parseFlags, USAGE } from './config/flags.js';
import { startKubelet } from './kubelet.js';

const STOP_DEADLINE_MS = 20_000;

async function main(argv: string[]): Promise<number> {
  let parsed: ReturnType<typeof parseFlags>;
  try {
    parsed = parseFlags(argv);
  } catch (err) {
    if (!(err instanceof FlagError)) throw err;
    process.stderr.write(`tkube-kubelet: ${err.message}\n\n${USAGE}\n`);
    return 2;
  }
  if (parsed.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const { config } = parsed;
  const logger = pino({
    level: config.logLevel,
    base: { component: 'kubelet', node: config.nodeName, pid: process.pid },
  });

  let kubelet: Awaited<ReturnType<typeof startKubelet>>;
  try {
    kubelet = await startKubelet(config, { logger });
  } catch (err) {
    logger.fatal({ err }, 'the kubelet could not start');
    return 1;
  }

  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    process.once('SIGTERM', () => resolve('SIGTERM'));
    process.once('SIGINT', () => resolve('SIGINT'));
  });
  logger.info({ signal }, 'stopping');
  const now = () => process.exit(1);
  process.once('SIGTERM', now);
  process.once('SIGINT', now);
  const deadline = setTimeout(() => {
    logger.error({ deadlineMs: STOP_DEADLINE_MS }, 'stopping took too long; exiting');
    process.exit(1);
  }, STOP_DEADLINE_MS);
  deadline.unref();
  await kubelet.stop();
  clearTimeout(deadline);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`tkube-kubelet: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);
