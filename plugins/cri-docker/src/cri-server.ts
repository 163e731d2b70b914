/**
 * The CRI gRPC services over the plugin's parts: each handler decodes, calls one service
 * method and answers; failures become the gRPC status of their StatusError.
 */

import {
  type handleServerStreamingCall,
  type handleUnaryCall,
  Server,
  type UntypedServiceImplementation,
} from '@grpc/grpc-js';
import { grpcApi, toStatusError } from '@tkube/api';
import {
  type ContainerEventResponse,
  type GetEventsRequest,
  ImageServiceService,
  RuntimeServiceService,
} from '@tkube/api/cri';
import { type ServingGrpc, serveGrpc } from '@tkube/process';
import type { Logger } from 'pino';
import type { ContainerService } from './containers.js';
import type { DockerEngine } from './docker/engine.js';
import { invalidArgument, unimplemented } from './errors.js';
import type { ContainerEventHub } from './events/container-event-hub.js';
import { execSync } from './exec-sync.js';
import type { ImageService } from './images.js';
import type { SandboxService } from './sandboxes.js';
import type { StreamingServer } from './streaming/streaming-server.js';

/** The CRI API version the kubelet asks about and this plugin answers. */
export const CRI_API_VERSION = 'v1';
const KUBELET_API_VERSION = '0.1.0';

export interface CriParts {
  engine: DockerEngine;
  sandboxes: SandboxService;
  containers: ContainerService;
  images: ImageService;
  streaming: StreamingServer;
  events: ContainerEventHub;
  logger: Logger;
}

/** The unary rpcs of a service as promise handlers (streaming rpcs are served on their own). */
type ServiceHandlers<S> = {
  [K in keyof S as S[K] extends { responseStream: true } ? never : K]: S[K] extends {
    requestDeserialize(value: Buffer): infer Req;
    responseSerialize(value: infer Res): Buffer;
  }
    ? (request: Req) => Promise<Res>
    : never;
};

function unary<Req, Res>(
  name: string,
  logger: Logger,
  handler: (request: Req) => Promise<Res>,
): handleUnaryCall<Req, Res> {
  return (call, callback) => {
    handler(call.request).then(
      (response) => callback(null, response),
      (err: unknown) => {
        const error = toStatusError(err);
        const level = error.code >= 500 ? 'warn' : 'debug';
        logger[level]({ rpc: name, reason: error.reason, err: error.message }, 'rpc failed');
        callback(grpcApi.toGrpcError(error));
      },
    );
  };
}

function bind<S extends object>(handlers: ServiceHandlers<S>, logger: Logger): UntypedServiceImplementation {
  const bound: UntypedServiceImplementation = {};
  for (const [name, handler] of Object.entries(handlers) as [string, (request: unknown) => Promise<unknown>][]) {
    bound[name] = unary(name, logger, handler);
  }
  return bound;
}

/**
 * GetContainerEvents: every event of the hub from now on, until the client goes away or the
 * plugin stops (the stream then ends, and the kubelet falls back to relisting).
 */
export function containerEventsHandler(
  hub: ContainerEventHub,
  logger: Logger,
): handleServerStreamingCall<GetEventsRequest, ContainerEventResponse> {
  return (call) => {
    let unsubscribe: () => void;
    try {
      unsubscribe = hub.subscribe(
        (event) => {
          if (!call.cancelled && call.writable) call.write(event);
        },
        () => call.end(),
      );
    } catch {
      call.end();
      return;
    }
    logger.debug({ subscribers: hub.subscribers }, 'a container event subscriber joined');
    const leave = () => unsubscribe();
    call.on('cancelled', leave);
    call.on('close', leave);
    call.on('error', leave);
  };
}

export function runtimeHandlers(parts: CriParts): ServiceHandlers<typeof RuntimeServiceService> {
  const { engine, sandboxes, containers, streaming } = parts;
  const runningContainer = async (id: string) => {
    const details = await containers.containerOrThrow(id);
    if (details.status !== 'running') throw invalidArgument(`container ${id} is not running`);
    return details;
  };
  return {
    version: async () => {
      const version = await engine.version();
      return {
        version: KUBELET_API_VERSION,
        runtimeName: 'docker',
        runtimeVersion: version.version,
        runtimeApiVersion: CRI_API_VERSION,
      };
    },
    updateRuntimeConfig: async (request) => {
      // Pods get their addresses from the network plugin, which the kubelet hands the pod
      // CIDR itself; sandboxes here have an empty network namespace whatever the CIDR
      // (dockershim did the same without kubenet). The CIDR is only noted.
      const podCidr = request.runtimeConfig?.networkConfig?.podCidr ?? '';
      parts.logger.info({ podCidr }, 'pod CIDR noted; pod networking is left to the network plugin');
      return {};
    },
    runPodSandbox: async (request) => ({ podSandboxId: await sandboxes.run(request.config) }),
    stopPodSandbox: async (request) => {
      await sandboxes.stop(request.podSandboxId);
      return {};
    },
    removePodSandbox: async (request) => {
      await sandboxes.remove(request.podSandboxId);
      return {};
    },
    podSandboxStatus: (request) => sandboxes.status(request.podSandboxId),
    listPodSandbox: async (request) => ({ items: await sandboxes.list(request.filter) }),
    createContainer: async (request) => ({
      containerId: await containers.create(request.podSandboxId, request.config, request.sandboxConfig),
    }),
    startContainer: async (request) => {
      await containers.start(request.containerId);
      return {};
    },
    stopContainer: async (request) => {
      await containers.stop(request.containerId, Number(request.timeout));
      return {};
    },
    removeContainer: async (request) => {
      await containers.remove(request.containerId);
      return {};
    },
    listContainers: async (request) => ({ containers: await containers.list(request.filter) }),
    containerStatus: (request) => containers.status(request.containerId, request.verbose),
    updateContainerResources: async (request) => {
      await containers.updateResources(request.containerId, request.linux);
      return {};
    },
    reopenContainerLog: async (request) => {
      await containers.reopenLog(request.containerId);
      return {};
    },
    execSync: async (request) => {
      if (!request.cmd.length) throw invalidArgument('ExecSync needs a command');
      const details = await runningContainer(request.containerId);
      return execSync(engine, details.id, request.cmd, Number(request.timeout));
    },
    exec: async (request) => {
      if (!request.cmd.length) throw invalidArgument('Exec needs a command');
      checkStreams(request);
      const details = await runningContainer(request.containerId);
      return {
        url: streaming.register({
          kind: 'exec',
          containerId: details.id,
          cmd: request.cmd,
          tty: request.tty,
          stdin: request.stdin,
          stdout: request.stdout,
          stderr: request.stderr,
        }),
      };
    },
    attach: async (request) => {
      checkStreams(request);
      const details = await runningContainer(request.containerId);
      return {
        url: streaming.register({
          kind: 'attach',
          containerId: details.id,
          tty: request.tty,
          stdin: request.stdin,
          stdout: request.stdout,
          stderr: request.stderr,
        }),
      };
    },
    portForward: async () => {
      throw unimplemented('PortForward is not implemented by tkube-cri-docker');
    },
    containerStats: async (request) => ({ stats: await containers.stats(request.containerId) }),
    listContainerStats: async (request) => ({ stats: await containers.listStats(request.filter) }),
    status: async () => {
      const runtimeReady = await engine.version().then(
        () => ({ status: true, reason: '', message: '' }),
        (err: unknown) => ({
          status: false,
          reason: 'DockerDaemonNotReady',
          message: `docker: ${err instanceof Error ? err.message : String(err)}`,
        }),
      );
      return {
        status: {
          conditions: [
            { type: 'RuntimeReady', ...runtimeReady },
            {
              // Pod networking is the network plugin's job (the kubelet drives it); this runtime
              // only makes sandboxes with an empty network namespace, which always works.
              type: 'NetworkReady',
              status: true,
              reason: '',
              message: 'networking is delegated to the network plugin',
            },
          ],
        },
        info: {},
      };
    },
  };
}

function checkStreams(request: { tty: boolean; stdin: boolean; stdout: boolean; stderr: boolean }): void {
  if (!request.stdin && !request.stdout && !request.stderr) {
    throw invalidArgument('one of stdin, stdout and stderr must be streamed');
  }
  if (request.tty && request.stderr) throw invalidArgument('a tty has no separate stderr: stderr must be false');
}

export function imageHandlers(parts: CriParts): ServiceHandlers<typeof ImageServiceService> {
  const { images } = parts;
  return {
    listImages: async (request) => ({ images: await images.list(request.filter) }),
    imageStatus: async (request) => ({ image: await images.status(request.image), info: {} }),
    pullImage: async (request) => ({ imageRef: await images.pull(request.image, request.auth) }),
    removeImage: async (request) => {
      await images.remove(request.image);
      return {};
    },
    imageFsInfo: async () => ({ imageFilesystems: await images.fsInfo(), containerFilesystems: [] }),
  };
}

/** Both CRI services served on `address` ("unix:///run/tkube/cri-docker.sock"). */
export function serveCri(parts: CriParts, address: string): Promise<ServingGrpc> {
  const server = new Server();
  server.addService(RuntimeServiceService, {
    ...bind(runtimeHandlers(parts), parts.logger),
    getContainerEvents: containerEventsHandler(parts.events, parts.logger),
  });
  server.addService(ImageServiceService, bind(imageHandlers(parts), parts.logger));
  return serveGrpc(server, address);
}
