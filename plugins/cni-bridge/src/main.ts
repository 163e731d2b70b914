#!/usr/bin/env node
/**
 * tkube-cni-bridge: flags, a JSON logger, the node's bridge set up, the network plugin API
 * served on its unix socket, and a clean stop on SIGTERM/SIGINT. Attachments outlive the
 * process: a stop leaves pods' interfaces and addresses in place for the next start.
 */
import { pino } from 'pino';
import { createBridgePlugin } from './create-plugin.js';
import type { PluginConfig } from './flags.js';
import { parseFlags, USAGE } from './flags.js';
import { formatCidr } from './ipv4.js';
import { startNetworkPluginServer } from './server.js';

/** A stop that takes longer than this is cut short (a stuck call must not block exit). */
const STOP_DEADLINE_MS = 10_000;

async function main(argv: readonly string[]): Promise<number> {
  let config: PluginConfig;
  try {
    config = parseFlags(argv);
  } catch (error) {
    process.stderr.write(`tkube-cni-bridge: ${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`);
    return 2;
  }
  const logger = pino({ level: config.logLevel, base: { component: 'cni-bridge', pid: process.pid } });
  const { plugin, host } = createBridgePlugin(config, logger);
  try {
    await host.ensureHostNetwork();
  } catch (error) {
    logger.error({ err: error }, 'failed to set up the host network');
    return 1;
  }
  const server = await startNetworkPluginServer(config.listen, plugin, logger);
  logger.info(
    {
      listen: server.address,
      bridge: config.network.bridge,
      podCidr: formatCidr(config.network.podCidr),
      clusterCidr: formatCidr(config.network.clusterCidr),
      stateDir: config.stateDir,
    },
    'serving the network plugin API',
  );

  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    process.once('SIGTERM', () => resolve('SIGTERM'));
    process.once('SIGINT', () => resolve('SIGINT'));
  });
  logger.info({ signal }, 'stopping');
  const deadline = setTimeout(() => {
    logger.error({ deadlineMs: STOP_DEADLINE_MS }, 'stopping took too long; exiting');
    process.exit(1);
  }, STOP_DEADLINE_MS);
  deadline.unref();
  await server.stop();
  logger.info({}, 'stopped');
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(
      `tkube-cni-bridge: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exit(1);
  },
);
