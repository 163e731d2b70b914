/**
 * Where commands print. On a terminal a running step shows " • title ..." and is replaced
 * by its result line; elsewhere (logs, tests) both lines are printed.
 */
export interface Output {
  stepStarted(title: string): void;
  stepDone(title: string, detail?: string): void;
  stepFailed(title: string): void;
  /** A plain line on stdout. */
  info(line: string): void;
  /** A message on stderr. */
  error(message: string): void;
}

interface Writable {
  write(text: string): unknown;
  isTTY?: boolean;
}

export class ConsoleOutput implements Output {
  private pending = false;

  constructor(
    private readonly stdout: Writable = process.stdout,
    private readonly stderr: Writable = process.stderr,
  ) {}

  private get live(): boolean {
    return this.stdout.isTTY === true;
  }

  stepStarted(title: string): void {
    if (this.live) {
      this.stdout.write(` • ${title} ...`);
      this.pending = true;
    } else {
      this.stdout.write(` • ${title} ...\n`);
    }
  }

  stepDone(title: string, detail?: string): void {
    this.finish(` ✓ ${title}${detail ? `  ${detail}` : ''}`);
  }

  stepFailed(title: string): void {
    this.finish(` ✗ ${title}`);
  }

  info(line: string): void {
    this.clearPending();
    this.stdout.write(`${line}\n`);
  }

  error(message: string): void {
    this.clearPending();
    this.stderr.write(`ERROR: ${message}\n`);
  }

  private finish(line: string): void {
    if (this.pending) {
      this.stdout.write(`\r\x1b[2K${line}\n`);
      this.pending = false;
    } else {
      this.stdout.write(`${line}\n`);
    }
  }

  private clearPending(): void {
    if (!this.pending) return;
    this.stdout.write('\n');
    this.pending = false;
  }
}

/** Collects what a command prints, for tests. */
export class RecordingOutput implements Output {
  readonly lines: string[] = [];
  stepStarted(title: string): void {
    this.lines.push(`• ${title}`);
  }
  stepDone(title: string, detail?: string): void {
    this.lines.push(`✓ ${title}${detail ? `  ${detail}` : ''}`);
  }
  stepFailed(title: string): void {
    this.lines.push(`✗ ${title}`);
  }
  info(line: string): void {
    this.lines.push(line);
  }
  error(message: string): void {
    this.lines.push(`ERROR: ${message}`);
  }
}
