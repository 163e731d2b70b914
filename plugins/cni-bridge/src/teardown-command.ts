/**
 * `tkube-cni-bridge --teardown`: a run to completion instead of a server. Prints each
 * removal as a line ("removed: bridge tkt1"), or with --output json one object
 * {bridge, removals, error?} for programs such as `tkube down --purge`. Exit 0 when nothing
 * is left, 1 when something could not be removed (the message on stderr), 2 for bad flags.
 */
import { EXIT_BAD_FLAGS, EXIT_FAILED, EXIT_OK, FlagError } from '@tkube/process';
import { ipamDirOf } from './create-plugin.js';
import { messageOf } from './error-info.js';
import { parseTeardownFlags, type TeardownConfig, USAGE } from './flags.js';
import { execFileRunner } from './host/command-runner.js';
import { LinuxBridgeTeardownHost } from './host/linux-bridge-teardown-host.js';
import type { BridgeTeardownHost, Removal } from './network-host.js';
import { readRecordedPodCidr } from './pod-cidr-record.js';
import { teardownBridgeNetwork } from './teardown.js';

const NAME = 'tkube-cni-bridge';

export interface CommandIo {
  writeOut(text: string): void;
  writeErr(text: string): void;
}

/** The JSON a teardown prints with --output json. */
export interface TeardownReport {
  bridge: string;
  removals: Removal[];
  /** Why it stopped, when it did. */
  error?: string;
}

/** Parses the flags and tears down; resolves with the exit code. */
export async function runTeardownCommand(
  argv: readonly string[],
  io: CommandIo,
  hostFor: (bridge: string) => BridgeTeardownHost = (bridge) => LinuxBridgeTeardownHost.create(bridge, execFileRunner),
): Promise<number> {
  let config: TeardownConfig;
  try {
    config = parseTeardownFlags(argv);
  } catch (error) {
    if (!(error instanceof FlagError)) throw error;
    io.writeErr(`${NAME}: ${error.message}\n\n${USAGE.trimEnd()}\n`);
    return EXIT_BAD_FLAGS;
  }
  const report: TeardownReport = { bridge: config.bridge, removals: [] };
  let code = EXIT_OK;
  const ipamDir = ipamDirOf(config.stateDir, config.bridge);
  try {
    // The block the serving plugin learnt guards the teardown as --pod-cidr would; a record
    // that cannot be read guards nothing, and must not keep a broken node from going.
    const recorded = config.podCidr ? undefined : await readRecordedPodCidr(ipamDir).catch(() => undefined);
    await teardownBridgeNetwork({
      host: hostFor(config.bridge),
      bridge: config.bridge,
      podCidr: config.podCidr ?? recorded,
      podCidrOrigin: recorded ? 'the recorded pod CIDR' : '--pod-cidr',
      ipamDir,
      onRemoval: (removal) => {
        report.removals.push(removal);
        if (config.output === 'text') io.writeOut(`${removal.outcome}: ${removal.kind} ${removal.name}\n`);
      },
    });
  } catch (error) {
    report.error = `the teardown of bridge ${config.bridge} failed: ${messageOf(error)}`;
    io.writeErr(`${NAME}: ${report.error}\n`);
    code = EXIT_FAILED;
  }
  if (config.output === 'json') io.writeOut(`${JSON.stringify(report)}\n`);
  return code;
}
