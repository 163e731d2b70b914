/**
 * Watch streams: one JSON event per line (`{"type":"ADDED","object":{...}}`) in a chunked
 * response, each written as it happens, until `timeoutSeconds` passes, the client goes or
 * the registry ends the watch. With a Table Accept header (kubectl get -w) each object is
 * a one-row Table; column definitions travel only in the first, as kube-apiserver does.
 */
import { once } from 'node:events';
import { type KubeObject, toStatusError, type WatchEvent } from '@tkube/api';
import type { WatchOptions } from '../registry/types.js';
import { negotiateResource } from './negotiation.js';
import { watchOptions, watchTimeoutSeconds } from './query-options.js';
import type { ResourceRequest } from './resource-request.js';
import { includeObjectOf, toTable } from './table/to-table.js';

type EventTransform = (event: WatchEvent) => unknown;

function tableTransform(request: ResourceRequest, tableVersion: 'v1' | 'v1beta1'): EventTransform {
  const includeObject = includeObjectOf(request.query);
  let first = true;
  return (event) => {
    if (event.type === 'ERROR') return event;
    const object = event.object as KubeObject;
    const resourceVersion = object.metadata?.resourceVersion ?? '';
    const objects = event.type === 'BOOKMARK' ? [] : [object];
    const table = toTable(request.info, objects, { tableVersion, includeObject, listMeta: { resourceVersion } });
    if (!first) table.columnDefinitions = [];
    first = false;
    return { type: event.type, object: table };
  };
}

/** Watching one object (GET .../{name}?watch=1) is watching the collection for its name. */
function withNameSelector(options: WatchOptions, name: string | undefined): WatchOptions {
  if (name === undefined) return options;
  const byName = `metadata.name=${name}`;
  return { ...options, fieldSelector: options.fieldSelector ? `${options.fieldSelector},${byName}` : byName };
}

export async function serveWatch(request: ResourceRequest): Promise<void> {
  const { req, res } = request;
  const format = negotiateResource(req.headers.accept);
  const transform: EventTransform = format.table ? tableTransform(request, format.table) : (event) => event;
  const timeoutSeconds = watchTimeoutSeconds(request.query);
  const options = withNameSelector(watchOptions(request.query), request.name);
  // Errors up to here (bad options, expired resourceVersion) are answered as a Status.
  const watch = await request.registry.watch(request.namespace, options);

  res.writeHead(200, {
    'Content-Type': 'application/json',
    'Cache-Control': 'no-cache, private',
    'Transfer-Encoding': 'chunked',
  });
  res.flushHeaders();

  let stopped = false;
  let wake: () => void = () => {};
  const stoppedSignal = new Promise<void>((resolve) => {
    wake = resolve;
  });
  const stop = () => {
    if (stopped) return;
    stopped = true;
    wake();
  };
  const timer = setTimeout(stop, timeoutSeconds * 1000);
  req.on('close', stop);
  res.on('close', stop);

  const iterator = watch.events[Symbol.asyncIterator]();
  try {
    while (!stopped) {
      const next = await Promise.race([iterator.next(), stoppedSignal.then(() => undefined)]);
      if (next === undefined || next.done) break;
      if (res.destroyed) break;
      const line = `${JSON.stringify(transform(next.value))}\n`;
      if (!res.write(line)) {
        await Promise.race([once(res, 'drain'), stoppedSignal]);
      }
    }
  } catch (err) {
    const status = toStatusError(err);
    request.logger.warn({ err }, 'watch ended with an error');
    if (!res.destroyed) res.write(`${JSON.stringify({ type: 'ERROR', object: status.toStatus() })}\n`);
  } finally {
    clearTimeout(timer);
    req.off('close', stop);
    res.off('close', stop);
    watch.stop();
    void iterator.return?.().catch(() => undefined);
    if (!res.destroyed) res.end();
  }
}
