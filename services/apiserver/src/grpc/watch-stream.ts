/**
 * Pipes a registry watch into a gRPC server stream. The stream ends cleanly (status OK)
 * when the registry watch ends or the server shuts down; the registry watch is stopped
 * when the client cancels. Either way nothing keeps running for a gone client.
 */
import type { ServerWritableStream } from '@grpc/grpc-js';
import type { WatchEvent } from '@tkube/api';
import { grpcApi, toStatusError } from '@tkube/api';
import type { ResourceWatch } from '../registry/types.js';

type WatchCall = ServerWritableStream<grpcApi.WatchRequest, grpcApi.WatchEvent>;

export async function pipeWatch(call: WatchCall, watch: ResourceWatch, shutdown: AbortSignal): Promise<void> {
  let finished = false;
  const finish = () => {
    if (finished) return;
    finished = true;
    watch.stop();
    if (!call.cancelled) call.end();
  };
  call.on('cancelled', finish);
  shutdown.addEventListener('abort', finish);
  try {
    // The client may have gone, or the server begun to stop, while the watch was opening.
    if (shutdown.aborted || call.cancelled) return;
    for await (const event of watch.events) {
      if (finished) break;
      if (!call.write(toWireEvent(event))) await drained(call);
    }
  } catch (err) {
    if (!finished && !call.cancelled) {
      finished = true;
      watch.stop();
      call.emit('error', grpcApi.toGrpcError(toStatusError(err)));
    }
  } finally {
    shutdown.removeEventListener('abort', finish);
    call.off('cancelled', finish);
    finish();
  }
}

function toWireEvent(event: WatchEvent): grpcApi.WatchEvent {
  return { type: event.type, object: grpcApi.toTypedObject(event.object) };
}

/** Waits until the client takes more (HTTP/2 flow control) or goes away. */
function drained(call: WatchCall): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      call.off('drain', done);
      call.off('cancelled', done);
      call.off('close', done);
      resolve();
    };
    call.on('drain', done);
    call.on('cancelled', done);
    call.on('close', done);
  });
}
