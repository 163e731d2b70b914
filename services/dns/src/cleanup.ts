/** `tkube-dns --cleanup --interface NAME`: remove the link this program made, then exit. */
import { EXIT_BAD_FLAGS, EXIT_FAILED, EXIT_OK, FlagError } from '@tkube/process';
import { type Logger, pino } from 'pino';
import { parseFlags, USAGE } from './config/flags.js';
import { removeDnsInterface } from './host/dns-interface.js';
import { type IpCommand, systemIp } from './host/ip-command.js';

export interface CleanupHost {
  writeOut(text: string): void;
  writeErr(text: string): void;
  logger?: (level: string) => Logger;
  ip?: IpCommand;
}

const processHost: CleanupHost = {
  writeOut: (text) => process.stdout.write(text),
  writeErr: (text) => process.stderr.write(text),
};

/** Resolves with the exit code. */
export async function runCleanup(argv: readonly string[], host: CleanupHost = processHost): Promise<number> {
  let config: ReturnType<typeof parseFlags>;
  try {
    config = parseFlags(argv);
  } catch (err) {
    if (!(err instanceof FlagError)) throw err;
    host.writeErr(`tkube-dns: ${err.message}\n\n${USAGE}\n`);
    return EXIT_BAD_FLAGS;
  }
  if (config.help) {
    host.writeOut(`${USAGE}\n`);
    return EXIT_OK;
  }
  if (config.config.kind !== 'cleanup') {
    host.writeErr(`tkube-dns: expected --cleanup\n\n${USAGE}\n`);
    return EXIT_BAD_FLAGS;
  }
  const { interfaceName, logLevel } = config.config;
  const logger = host.logger?.(logLevel) ?? pino({ level: logLevel, base: { component: 'dns', pid: process.pid } });
  try {
    const outcome = await removeDnsInterface(host.ip ?? systemIp, interfaceName);
    logger.info({ interface: interfaceName, outcome }, 'cleanup done');
    return EXIT_OK;
  } catch (err) {
    logger.error({ err, interface: interfaceName }, 'cleanup failed');
    return EXIT_FAILED;
  }
}
