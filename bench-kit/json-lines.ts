/** Newline-delimited JSON streams (a watch of the Kubernetes API, Docker's /events). */
import type { IncomingMessage } from 'node:http';

/** Calls `onValue` with each non-empty line of `stream`, parsed, as the lines arrive. */
export function onJsonLines(stream: IncomingMessage, onValue: (value: unknown) => void): void {
  let buffered = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    buffered += chunk;
    for (let nl = buffered.indexOf('\n'); nl >= 0; nl = buffered.indexOf('\n')) {
      const line = buffered.slice(0, nl).trim();
      buffered = buffered.slice(nl + 1);
      if (line !== '') onValue(JSON.parse(line));
    }
  });
}
