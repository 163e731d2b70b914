/**
 * Promise-returning clients over a grpc-js channel for the CRI services. Requests are
 * `DeepPartial` messages (filled with proto3 defaults by the message's `fromPartial`), so
 * `runtime.listContainers({ filter: { podSandboxId } })` is a complete call. Failures reject
 * with the grpc-js `ServiceError` (its `code` says NOT_FOUND, UNIMPLEMENTED, ...).
 * Server-streaming rpcs (GetContainerEvents) answer an async iterable of their messages:
 * iterating it throws the `ServiceError` that ends the stream, aborting the signal ends it.
 */

import { type CallOptions, type Client, Metadata } from '@grpc/grpc-js';
import type { DeepPartial } from './generated/cri/api.js';

/** One unary or server-streaming method of a ts-proto grpc-js service definition. */
interface MethodDefinition<Req, Res> {
  path: string;
  requestStream: false;
  responseStream: boolean;
  requestSerialize(value: Req): Buffer;
  responseDeserialize(value: Buffer): Res;
}

type RequestOf<M> = M extends { requestSerialize(value: infer Req): Buffer } ? Req : never;
type ResponseOf<M> = M extends { responseDeserialize(value: Buffer): infer Res } ? Res : never;

/** Per call: a deadline (milliseconds from now) and an abort signal. */
export interface CriCallOptions {
  timeoutMs?: number;
  signal?: AbortSignal;
}

/** The messages of a server-streaming call; `cancel()` ends it (as aborting its signal does). */
export interface ResponseStream<Res> extends AsyncIterable<Res> {
  cancel(): void;
}

/** The promise form of a service: one method per rpc, camelCase as ts-proto names them. */
export type PromiseClient<S> = {
  [K in keyof S]: S[K] extends { responseStream: true }
    ? (request?: DeepPartial<RequestOf<S[K]>>, options?: CriCallOptions) => ResponseStream<ResponseOf<S[K]>>
    : (request?: DeepPartial<RequestOf<S[K]>>, options?: CriCallOptions) => Promise<ResponseOf<S[K]>>;
};

/** For each rpc, the request message's `fromPartial` (the generated message object). */
export type RequestFillers<S> = {
  [K in keyof S]: { fromPartial(object: DeepPartial<RequestOf<S[K]>>): RequestOf<S[K]> };
};

/** Binds `service`'s rpcs to `client`'s channel as promise-returning (or stream-returning) functions. */
export function promiseClient<S extends Record<string, MethodDefinition<never, unknown>>>(
  client: Client,
  service: S,
  fillers: RequestFillers<S>,
): PromiseClient<S> {
  const bound: Partial<Record<keyof S, unknown>> = {};
  for (const name of Object.keys(service) as (keyof S & string)[]) {
    const method = service[name] as unknown as MethodDefinition<RequestOf<S[typeof name]>, unknown>;
    const filler = fillers[name];
    const callOptionsOf = (options: CriCallOptions): Partial<CallOptions> =>
      options.timeoutMs === undefined ? {} : { deadline: new Date(Date.now() + options.timeoutMs) };
    if (method.responseStream) {
      bound[name] = (request: DeepPartial<RequestOf<S[typeof name]>> = {} as never, options: CriCallOptions = {}) => {
        const call = client.makeServerStreamRequest(
          method.path,
          (value: RequestOf<S[typeof name]>) => method.requestSerialize(value),
          (buffer: Buffer) => method.responseDeserialize(buffer),
          filler.fromPartial(request),
          new Metadata(),
          callOptionsOf(options),
        );
        options.signal?.addEventListener('abort', () => call.cancel(), { once: true });
        const stream: ResponseStream<unknown> = {
          [Symbol.asyncIterator]: () => call[Symbol.asyncIterator](),
          cancel: () => call.cancel(),
        };
        return stream;
      };
      continue;
    }
    bound[name] = (request: DeepPartial<RequestOf<S[typeof name]>> = {} as never, options: CriCallOptions = {}) =>
      new Promise((resolve, reject) => {
        const callOptions = callOptionsOf(options);
        const call = client.makeUnaryRequest(
          method.path,
          (value: RequestOf<S[typeof name]>) => method.requestSerialize(value),
          (buffer: Buffer) => method.responseDeserialize(buffer),
          filler.fromPartial(request),
          new Metadata(),
          callOptions,
          (error, response) => (error ? reject(error) : resolve(response)),
        );
        options.signal?.addEventListener('abort', () => call.cancel(), { once: true });
      });
  }
  return bound as PromiseClient<S>;
}
