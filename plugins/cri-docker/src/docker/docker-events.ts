/**
 * Docker's event stream (`GET /events`) read as EngineEvents: the body is JSON objects, one
 * per line, whose HTTP chunks need not end at a line's end.
 */

import { ENGINE_EVENT_ACTIONS, type EngineEvent, type EngineEventAction } from './engine.js';

function isAction(value: unknown): value is EngineEventAction {
  return typeof value === 'string' && (ENGINE_EVENT_ACTIONS as readonly string[]).includes(value);
}

function stringsOf(value: unknown): Record<string, string> {
  const strings: Record<string, string> = {};
  if (typeof value !== 'object' || value === null) return strings;
  for (const [key, item] of Object.entries(value)) if (typeof item === 'string') strings[key] = item;
  return strings;
}

/**
 * One line of the stream as an EngineEvent; undefined for other objects' events, other
 * actions and lines that are not JSON. The time is read from the raw text: `timeNano` is
 * beyond a JSON number's exact range.
 */
export function parseDockerEvent(line: string): EngineEvent | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const record = parsed as Record<string, unknown>;
  if (record.Type !== 'container' || !isAction(record.Action)) return undefined;
  const actor = (typeof record.Actor === 'object' && record.Actor !== null ? record.Actor : {}) as Record<
    string,
    unknown
  >;
  const id = typeof actor.ID === 'string' ? actor.ID : typeof record.id === 'string' ? record.id : '';
  if (!id) return undefined;
  const exactNanos = /"timeNano"\s*:\s*(\d+)/.exec(line)?.[1];
  const seconds = typeof record.time === 'number' ? record.time : 0;
  return {
    action: record.Action,
    id,
    attributes: stringsOf(actor.Attributes),
    timeNanos: exactNanos ? BigInt(exactNanos) : BigInt(Math.trunc(seconds)) * 1_000_000_000n,
  };
}

/** Splits chunks of text into whole lines, keeping a partial last line for the next chunk. */
export class LineSplitter {
  private partial = '';

  push(chunk: string): string[] {
    const text = this.partial + chunk;
    const lines = text.split('\n');
    this.partial = lines.pop() ?? '';
    return lines.map((line) => line.trim()).filter((line) => line.length > 0);
  }
}

/**
 * Docker's `since` query value: seconds since the epoch, to the millisecond (events of that
 * millisecond come again: a replay may repeat, never skip).
 */
export function sinceSecondsOf(nanos: bigint): number {
  return Number(nanos / 1_000_000n) / 1000;
}
