#!/usr/bin/env node
/** tkube: parse the command line, run the command, exit with its code (2 for usage errors). */
import { parseCommandLine, USAGE, UsageError } from './args.js';
import { down } from './commands/down.js';
import { kubeconfig } from './commands/kubeconfig.js';
import { status } from './commands/status.js';
import { up } from './commands/up.js';
import { ConsoleOutput } from './steps/output.js';
import { describeFailure } from './steps/step-runner.js';

async function main(argv: string[]): Promise<number> {
  const output = new ConsoleOutput();
  let line: ReturnType<typeof parseCommandLine>;
  try {
    line = parseCommandLine(argv);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    output.error(`${err.message}\n\n${USAGE}`);
    return 2;
  }
  if (line.kind === 'help') {
    output.info(USAGE);
    return 0;
  }
  try {
    switch (line.command) {
      case 'up':
        return await up(
          {
            dataDir: line.dataDir,
            ports: line.ports,
            nodes: line.nodes,
            ...(line.podEvictionTimeout ? { podEvictionTimeout: line.podEvictionTimeout } : {}),
          },
          output,
        );
      case 'down':
        return await down({ dataDir: line.dataDir, purge: line.purge }, output);
      case 'status':
        return await status({ dataDir: line.dataDir }, output);
      case 'kubeconfig':
        return kubeconfig({ dataDir: line.dataDir }, output);
    }
  } catch (err) {
    output.error(describeFailure(err));
    return 1;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`tkube: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exitCode = 1;
  },
);
