/**
 * One sync of the proxy: build the whole ruleset from the caches, read the tables, write
 * everything in one iptables-restore, then drop stale UDP flows. Level-triggered and safe
 * to repeat; a partial sync skips the write when the ruleset equals the last one written.
 */
import type { Logger } from 'pino';
import type { CommandRunner } from '../iptables/command-runner.js';
import { type BuildOptions, buildRuleset } from '../rules/build-ruleset.js';
import { chainNames } from '../rules/chain-names.js';
import type { SavedState } from '../rules/iptables-save.js';
import { restoreText } from '../rules/restore-text.js';
import type { ServicePortInfo } from '../rules/service-ports.js';
import { staleUdpFlows } from './stale-udp-flows.js';

/** What a sync needs of iptables (the Iptables class, or a fake). */
export interface RuleWriter {
  save(): Promise<SavedState>;
  restore(text: string): Promise<void>;
}

export interface ProxierOptions {
  writer: RuleWriter;
  /** Runs conntrack. */
  runner: CommandRunner;
  /** The service ports as the caches hold them now. */
  servicePorts(): ServicePortInfo[];
  /** The build options as they are now (NodePort addresses follow the Node). */
  buildOptions(): BuildOptions;
  logger: Logger;
}

export class Proxier {
  private lastWritten: string | undefined;
  private lastPorts: ServicePortInfo[] = [];
  private syncs = 0;
  private markWritten: () => void = () => {};
  private readonly firstWrite = new Promise<void>((resolve) => (this.markWritten = resolve));

  constructor(private readonly options: ProxierOptions) {}

  /** Syncs that wrote rules so far. */
  get writes(): number {
    return this.syncs;
  }

  /** Resolves after the first successful write. */
  written(): Promise<void> {
    return this.firstWrite;
  }

  async sync(full: boolean): Promise<void> {
    const started = performance.now();
    const ports = this.options.servicePorts();
    const buildOptions = this.options.buildOptions();
    const ruleset = buildRuleset(ports, buildOptions);
    const fingerprint = JSON.stringify(ruleset);
    if (!full && fingerprint === this.lastWritten) return;

    const existing = await this.options.writer.save();
    await this.options.writer.restore(restoreText(ruleset, existing, chainNames(buildOptions.tag).prefix));
    this.lastWritten = fingerprint;
    this.syncs++;
    this.markWritten();

    for (const args of staleUdpFlows(this.lastPorts, ports)) {
      // Exit 1 means no entry matched: nothing to do.
      const result = await this.options.runner
        .run('conntrack', args)
        .catch((err: unknown) => ({ code: -1, stderr: String(err) }));
      if (result.code > 1 || result.code < 0) {
        this.options.logger.warn({ args, stderr: result.stderr.trim() }, 'deleting stale UDP flows failed');
      }
    }
    this.lastPorts = ports;
    this.options.logger.debug(
      {
        full,
        servicePorts: ports.length,
        natChains: ruleset.nat.chains.length,
        natRules: ruleset.nat.rules.length,
        ms: Math.round(performance.now() - started),
      },
      'rules written',
    );
  }
}
