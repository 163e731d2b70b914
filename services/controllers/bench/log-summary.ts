/** A component's warnings and errors in its JSON (pino) log under DIR/logs, counted by message. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** pino's levels: 40 warn, 50 error, 60 fatal. */
const WARN = 40;

export interface LogSummary {
  lines: number;
  /** Message -> how many warn/error lines carried it, most frequent first. */
  problems: Array<{ level: number; msg: string; count: number }>;
}

export function summarizeLog(dataDir: string, component: string, top = 10): LogSummary {
  let text = '';
  try {
    text = readFileSync(join(dataDir, 'logs', `${component}.log`), 'utf8');
  } catch {
    return { lines: 0, problems: [] };
  }
  const lines = text.split('\n').filter((line) => line.trim() !== '');
  const counts = new Map<string, { level: number; msg: string; count: number }>();
  for (const line of lines) {
    let entry: { level?: unknown; msg?: unknown; err?: { message?: unknown } };
    try {
      entry = JSON.parse(line) as typeof entry;
    } catch {
      continue;
    }
    if (typeof entry.level !== 'number' || entry.level < WARN) continue;
    const detail = typeof entry.err?.message === 'string' ? `: ${entry.err.message.slice(0, 160)}` : '';
    const msg = `${String(entry.msg ?? '')}${detail}`;
    const key = `${entry.level} ${msg}`;
    const seen = counts.get(key) ?? { level: entry.level, msg, count: 0 };
    seen.count++;
    counts.set(key, seen);
  }
  const problems = [...counts.values()].sort((a, b) => b.count - a.count).slice(0, top);
  return { lines: lines.length, problems };
}
