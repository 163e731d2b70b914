/**
 * The CRI gRPC services over a FakeRuntime and an ImageStore: each handler decodes, makes
 * one synchronous call and answers; failures become the gRPC status of their StatusError.
 */

import {
  type handleServerStreamingCall,
  type handleUnaryCall,
  Server,
  type ServerWritableStream,
  type UntypedServiceImplementation,
} from '@grpc/grpc-js';
import { grpcApi, toStatusError } from '@tkube/api';
import {
  type ContainerEventResponse,
  type GetEventsRequest,
  ImageServiceService,
  type ImageSpec,
  RuntimeServiceService,
} from '@tkube/api/cri';
import { type ServingGrpc, serveGrpc } from '@tkube/process';
import type { Logger } from 'pino';
import { invalidArgument, unimplemented } from './errors.js';
import type { FakeRuntime } from './fake-runtime.js';
import { type ImageStore, imageMessageOf } from './image-store.js';

export const RUNTIME_NAME = 'fake';
export const RUNTIME_VERSION = '0.1.0';
/** The CRI API version this runtime answers. */
export const CRI_API_VERSION = 'v1';
const KUBELET_API_VERSION = '0.1.0';

/** The unary rpcs of a service as handlers (streaming rpcs are served on their own). */
type ServiceHandlers<S> = {
  [K in keyof S as S[K] extends { responseStream: true } ? never : K]: S[K] extends {
    requestDeserialize(value: Buffer): infer Req;
    responseSerialize(value: infer Res): Buffer;
  }
    ? (request: Req) => Res
    : never;
};

function unary<Req, Res>(rpc: string, logger: Logger, handler: (request: Req) => Res): handleUnaryCall<Req, Res> {
  return (call, callback) => {
    let response: Res;
    try {
      response = handler(call.request);
    } catch (err) {
      const error = toStatusError(err);
      logger[error.code >= 500 ? 'warn' : 'debug']({ rpc, reason: error.reason, err: error.message }, 'rpc failed');
      callback(grpcApi.toGrpcError(error));
      return;
    }
    callback(null, response);
  };
}

function bind<S extends object>(handlers: ServiceHandlers<S>, logger: Logger): UntypedServiceImplementation {
  const bound: UntypedServiceImplementation = {};
  for (const [name, handler] of Object.entries(handlers) as [string, (request: unknown) => unknown][]) {
    bound[name] = unary(name, logger, handler);
  }
  return bound;
}

function noStreaming(rpc: string): never {
  throw unimplemented(
    `${rpc} is not implemented by tkube-cri-fake: its containers have no processes to stream from (ExecSync works)`,
  );
}

export function runtimeHandlers(runtime: FakeRuntime, logger?: Logger): ServiceHandlers<typeof RuntimeServiceService> {
  return {
    version: () => ({
      version: KUBELET_API_VERSION,
      runtimeName: RUNTIME_NAME,
      runtimeVersion: RUNTIME_VERSION,
      runtimeApiVersion: CRI_API_VERSION,
    }),
    status: () => ({
      status: {
        conditions: [
          { type: 'RuntimeReady', status: true, reason: '', message: '' },
          { type: 'NetworkReady', status: true, reason: '', message: 'fake pod IPs are given by the runtime' },
        ],
      },
      info: {},
    }),
    updateRuntimeConfig: (request) => {
      const podCidr = request.runtimeConfig?.networkConfig?.podCidr ?? '';
      if (runtime.updatePodCidr(podCidr)) logger?.info({ podCidr: runtime.podCidr }, 'pod CIDR updated');
      return {};
    },
    runPodSandbox: (request) => ({ podSandboxId: runtime.runPodSandbox(request.config, request.runtimeHandler) }),
    stopPodSandbox: (request) => {
      runtime.stopPodSandbox(request.podSandboxId);
      return {};
    },
    removePodSandbox: (request) => {
      runtime.removePodSandbox(request.podSandboxId);
      return {};
    },
    podSandboxStatus: (request) => runtime.podSandboxStatus(request.podSandboxId, request.verbose),
    listPodSandbox: (request) => ({ items: runtime.listPodSandbox(request.filter) }),
    createContainer: (request) => ({
      containerId: runtime.createContainer(request.podSandboxId, request.config, request.sandboxConfig),
    }),
    startContainer: (request) => {
      runtime.startContainer(request.containerId);
      return {};
    },
    stopContainer: (request) => {
      runtime.stopContainer(request.containerId, Number(request.timeout));
      return {};
    },
    removeContainer: (request) => {
      runtime.removeContainer(request.containerId);
      return {};
    },
    listContainers: (request) => ({ containers: runtime.listContainers(request.filter) }),
    containerStatus: (request) => runtime.containerStatus(request.containerId, request.verbose),
    updateContainerResources: (request) => {
      runtime.updateContainerResources(request.containerId, request.linux);
      return {};
    },
    reopenContainerLog: (request) => {
      runtime.reopenContainerLog(request.containerId);
      return {};
    },
    execSync: (request) => runtime.execSync(request.containerId, request.cmd),
    exec: () => noStreaming('Exec'),
    attach: () => noStreaming('Attach'),
    portForward: () => noStreaming('PortForward'),
    containerStats: (request) => ({ stats: runtime.containerStats(request.containerId) }),
    listContainerStats: (request) => ({ stats: runtime.listContainerStats(request.filter) }),
  };
}

function referenceOf(spec: ImageSpec | undefined): string {
  const reference = spec?.image?.trim();
  if (!reference) throw invalidArgument('an image reference is required');
  return reference;
}

export function imageHandlers(images: ImageStore): ServiceHandlers<typeof ImageServiceService> {
  return {
    listImages: (request) => ({ images: images.list(request.filter?.image?.image).map(imageMessageOf) }),
    imageStatus: (request) => {
      const image = images.find(referenceOf(request.image));
      return { image: image && imageMessageOf(image), info: {} };
    },
    pullImage: (request) => ({ imageRef: images.pull(referenceOf(request.image)).id }),
    removeImage: (request) => {
      images.remove(referenceOf(request.image));
      return {};
    },
    imageFsInfo: () => ({
      imageFilesystems: [images.fsUsage(BigInt(Date.now()) * 1_000_000n)],
      containerFilesystems: [],
    }),
  };
}

type EventStream = ServerWritableStream<GetEventsRequest, ContainerEventResponse>;

/** GetContainerEvents: the runtime's events from now on, until the client goes away or the server stops. */
export function containerEventsHandler(
  runtime: FakeRuntime,
  open: Set<EventStream>,
): handleServerStreamingCall<GetEventsRequest, ContainerEventResponse> {
  return (call) => {
    const unsubscribe = runtime.onContainerEvent((event) => {
      if (!call.cancelled && call.writable) call.write(event);
    });
    open.add(call);
    const leave = () => {
      unsubscribe();
      open.delete(call);
    };
    call.on('cancelled', leave);
    call.on('close', leave);
    call.on('error', leave);
  };
}

/**
 * Both CRI services served on `address` ("unix:///run/tkube/cri-fake.sock"). Calls in flight
 * are all synchronous, so a short grace is plenty; a client that keeps its connection open
 * must not hold a stop up. Event streams never end on their own: a stop ends them first.
 */
export async function serveCri(runtime: FakeRuntime, logger: Logger, address: string): Promise<ServingGrpc> {
  const server = new Server();
  const eventStreams = new Set<EventStream>();
  server.addService(RuntimeServiceService, {
    ...bind(runtimeHandlers(runtime, logger), logger),
    getContainerEvents: containerEventsHandler(runtime, eventStreams),
  });
  server.addService(ImageServiceService, bind(imageHandlers(runtime.images), logger));
  const serving = await serveGrpc(server, address, { graceMs: 2_000 });
  return {
    ...serving,
    stop: (graceMs?: number) => {
      for (const stream of eventStreams) stream.end();
      eventStreams.clear();
      return serving.stop(graceMs);
    },
  };
}
