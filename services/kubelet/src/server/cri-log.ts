/**
 * The CRI container log format (kube's pkg/kubelet/kuberuntime/logs): one entry per line,
 * `<RFC 3339 nano timestamp> <stdout|stderr> <F|P> <content>`, where P marks a partial
 * line continued by the next entry of the same stream.
 */

export interface CriLogEntry {
  /** The timestamp as written (RFC 3339 with nanoseconds). */
  timestamp: string;
  /** Milliseconds since the epoch. */
  time: number;
  stream: 'stdout' | 'stderr';
  partial: boolean;
  content: string;
}

export class CriLogParseError extends Error {
  override name = 'CriLogParseError';
}

export function parseCriLogLine(line: string): CriLogEntry {
  const first = line.indexOf(' ');
  const second = first === -1 ? -1 : line.indexOf(' ', first + 1);
  if (first === -1 || second === -1)
    throw new CriLogParseError(`invalid CRI log line: ${JSON.stringify(line.slice(0, 80))}`);
  const timestamp = line.slice(0, first);
  const stream = line.slice(first + 1, second);
  if (stream !== 'stdout' && stream !== 'stderr') throw new CriLogParseError(`unexpected stream type "${stream}"`);
  const time = Date.parse(timestamp);
  if (Number.isNaN(time)) throw new CriLogParseError(`invalid timestamp "${timestamp}"`);
  let rest = line.slice(second + 1);
  let partial = false;
  // The tag is optional in old runtimes' files; when present it is "F" or "P" before a space.
  const tagEnd = rest.indexOf(' ');
  const tag = tagEnd === -1 ? rest : rest.slice(0, tagEnd);
  if (tag === 'F' || tag === 'P') {
    partial = tag === 'P';
    rest = tagEnd === -1 ? '' : rest.slice(tagEnd + 1);
  }
  return { timestamp, time, stream, partial, content: rest };
}

/** The text kube sends for an entry: the content, a newline unless partial, the timestamp first when asked. */
export function formatEntry(entry: CriLogEntry, timestamps: boolean): string {
  const text = entry.partial ? entry.content : `${entry.content}\n`;
  return timestamps ? `${entry.timestamp} ${text}` : text;
}
