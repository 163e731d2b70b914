/**
 * Promise-returning clients over a grpc-js channel for the CRI services. Requests are
 * `DeepPartial` messages (filled with proto3 defaults by the message's `fromPartial`), so
 * `runtime.listContainers({ filter: { podSandboxId } })` is a complete call. Failures reject
 * with the grpc-js `ServiceError` (its `code` says NOT_FOUND, UNIMPLEMENTED, ...).
 */

import { type CallOptions, type Client, Metadata } from '@grpc/grpc-js';
import type { DeepPartial } from './generated/cri/api.js';

/** One unary method of a ts-proto grpc-js service definition. */
interface UnaryMethodDefinition<Req, Res> {
  path: string;
  requestStream: false;
  responseStream: false;
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

/** The promise form of a unary service: one method per rpc, camelCase as ts-proto names them. */
export type PromiseClient<S> = {
  [K in keyof S]: (request?: DeepPartial<RequestOf<S[K]>>, options?: CriCallOptions) => Promise<ResponseOf<S[K]>>;
};

/** For each rpc, the request message's `fromPartial` (the generated message object). */
export type RequestFillers<S> = {
  [K in keyof S]: { fromPartial(object: DeepPartial<RequestOf<S[K]>>): RequestOf<S[K]> };
};

/** Binds `service`'s rpcs to `client`'s channel as promise-returning functions. */
export function promiseClient<S extends Record<string, UnaryMethodDefinition<never, unknown>>>(
  client: Client,
  service: S,
  fillers: RequestFillers<S>,
): PromiseClient<S> {
  const bound: Partial<Record<keyof S, unknown>> = {};
  for (const name of Object.keys(service) as (keyof S & string)[]) {
    const method = service[name] as unknown as UnaryMethodDefinition<RequestOf<S[typeof name]>, unknown>;
    const filler = fillers[name];
    bound[name] = (request: DeepPartial<RequestOf<S[typeof name]>> = {} as never, options: CriCallOptions = {}) =>
      new Promise((resolve, reject) => {
        const callOptions: Partial<CallOptions> = {};
        if (options.timeoutMs !== undefined) callOptions.deadline = new Date(Date.now() + options.timeoutMs);
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
