/**
 * `tkube-proxy --cleanup --instance TAG`: remove the instance's chains and jumps, then exit
 * 0 (1 when iptables fails, 2 for bad flags), as kube-proxy's --cleanup. `tkube down
 * --purge` calls it. No apiserver is needed.
 */
import { EXIT_BAD_FLAGS, EXIT_FAILED, EXIT_OK, FlagError } from '@tkube/process';
import { pino } from 'pino';
import { cleanupInstance } from './cleanup.js';
import { parseFlags, USAGE } from './config/flags.js';
import { hostRunner } from './iptables/command-runner.js';
import { Iptables } from './iptables/iptables.js';
import { instanceTag } from './rules/chain-names.js';

export async function runCleanup(argv: readonly string[]): Promise<number> {
  let parsed: ReturnType<typeof parseFlags>;
  try {
    parsed = parseFlags(argv);
  } catch (err) {
    if (!(err instanceof FlagError)) throw err;
    process.stderr.write(`tkube-proxy: ${err.message}\n\n${USAGE}\n`);
    return EXIT_BAD_FLAGS;
  }
  if (parsed.help) {
    process.stdout.write(`${USAGE}\n`);
    return EXIT_OK;
  }
  const { config } = parsed;
  const logger = pino({
    level: config.logLevel,
    base: { component: 'proxy', instance: config.instance, pid: process.pid },
  });
  try {
    const removed = await cleanupInstance(new Iptables(hostRunner), config.instance);
    logger.info({ tag: instanceTag(config.instance), chains: removed }, "removed the instance's rules");
    return EXIT_OK;
  } catch (err) {
    logger.error({ err }, 'cleanup failed');
    return EXIT_FAILED;
  }
}
