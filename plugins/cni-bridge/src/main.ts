#!/usr/bin/env node
/**
 * tkube-cni-bridge: flags, a JSON logger, the node's bridge set up (at start for --pod-cidr
 * or a recorded block, else once the first Add brings the block), the network plugin API
 * served on its unix socket, and a clean stop on SIGTERM/SIGINT (cut short after 10 s: a
 * stuck call must not block exit). Attachments outlive the process: a stop leaves pods'
 * interfaces and addresses in place for the next start. Exit codes: 0 after a clean stop,
 * 1 when the plugin cannot start, 2 for bad flags.
 *
 * With --teardown it serves nothing: it removes a bridge's network and exits
 * (teardown-command.ts).
 */
import { formatCidr, runMain } from '@tkube/process';
import { createBridgePlugin, ipamDirOf } from './create-plugin.js';
import { parseFlags, USAGE, wantsTeardown } from './flags.js';
import { NodeBlockPlugin } from './node-block-plugin.js';
import { startNetworkPluginServer } from './server.js';
import { runTeardownCommand } from './teardown-command.js';

const commandLine = process.argv.slice(2);

if (wantsTeardown(commandLine)) {
  runTeardownCommand(commandLine, {
    writeOut: (text) => process.stdout.write(text),
    writeErr: (text) => process.stderr.write(text),
  }).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(
        `tkube-cni-bridge: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
      );
      process.exitCode = 1;
    },
  );
} else {
  runMain({
    name: 'tkube-cni-bridge',
    usage: USAGE,
    parseFlags: (argv) => ({ help: false, config: parseFlags(argv) }),
    component: 'cni-bridge',
    start: async (config, logger) => {
      // Without --pod-cidr and a recorded block, the host network waits for the first Add's block.
      const plugin = await NodeBlockPlugin.open({
        settings: config.network,
        podCidr: config.podCidr,
        recordDir: ipamDirOf(config.stateDir, config.network.bridge),
        createPlugin: (network) => createBridgePlugin({ network, stateDir: config.stateDir }, logger),
        logger,
      });
      const server = await startNetworkPluginServer(config.listen, plugin, logger);
      const podCidr = plugin.podCidr;
      logger.info(
        {
          listen: server.address,
          bridge: config.network.bridge,
          podCidr: podCidr ? formatCidr(podCidr) : "unknown: the first Add's ipRanges brings it",
          clusterCidr: formatCidr(config.network.clusterCidr),
          stateDir: config.stateDir,
        },
        'serving the network plugin API',
      );
      return server;
    },
    startFailure: 'the network plugin could not start',
    stopDeadlineMs: 10_000,
  });
}
