/**
 * `connectCri(endpoint)`: one channel to a CRI server (cri-docker, cri-fake, containerd)
 * with both services, as raw generated clients and as promise clients.
 */

import { credentials } from '@grpc/grpc-js';
import { grpcTargetOf } from './endpoint.js';
import * as cri from './generated/cri/api.js';
import { type PromiseClient, promiseClient, type RequestFillers } from './promise-client.js';

export type RuntimeApi = PromiseClient<cri.RuntimeServiceService>;
export type ImageApi = PromiseClient<cri.ImageServiceService>;

export interface CriConnection {
  /** The generated callback clients (both share one channel). */
  runtime: cri.RuntimeServiceClient;
  image: cri.ImageServiceClient;
  /** The same rpcs returning promises, requests as partial messages. */
  runtimeApi: RuntimeApi;
  imageApi: ImageApi;
  /** Closes the channel; calls in flight fail with CANCELLED. */
  close(): void;
}

const RUNTIME_REQUESTS: RequestFillers<cri.RuntimeServiceService> = {
  version: cri.VersionRequest,
  runPodSandbox: cri.RunPodSandboxRequest,
  stopPodSandbox: cri.StopPodSandboxRequest,
  removePodSandbox: cri.RemovePodSandboxRequest,
  podSandboxStatus: cri.PodSandboxStatusRequest,
  listPodSandbox: cri.ListPodSandboxRequest,
  createContainer: cri.CreateContainerRequest,
  startContainer: cri.StartContainerRequest,
  stopContainer: cri.StopContainerRequest,
  removeContainer: cri.RemoveContainerRequest,
  listContainers: cri.ListContainersRequest,
  containerStatus: cri.ContainerStatusRequest,
  updateContainerResources: cri.UpdateContainerResourcesRequest,
  reopenContainerLog: cri.ReopenContainerLogRequest,
  execSync: cri.ExecSyncRequest,
  exec: cri.ExecRequest,
  attach: cri.AttachRequest,
  portForward: cri.PortForwardRequest,
  containerStats: cri.ContainerStatsRequest,
  listContainerStats: cri.ListContainerStatsRequest,
  updateRuntimeConfig: cri.UpdateRuntimeConfigRequest,
  status: cri.StatusRequest,
  getContainerEvents: cri.GetEventsRequest,
};

const IMAGE_REQUESTS: RequestFillers<cri.ImageServiceService> = {
  listImages: cri.ListImagesRequest,
  imageStatus: cri.ImageStatusRequest,
  pullImage: cri.PullImageRequest,
  removeImage: cri.RemoveImageRequest,
  imageFsInfo: cri.ImageFsInfoRequest,
};

/** Connects to a CRI server on a unix socket (`unix:///run/tkube/cri-docker.sock` or a path). */
export function connectCri(endpoint: string): CriConnection {
  const target = grpcTargetOf(endpoint);
  const runtime = new cri.RuntimeServiceClient(target, credentials.createInsecure());
  // The image client rides the runtime client's channel: one connection per server.
  const image = new cri.ImageServiceClient(target, credentials.createInsecure(), {
    channelOverride: runtime.getChannel(),
  });
  return {
    runtime,
    image,
    runtimeApi: promiseClient(runtime, cri.RuntimeServiceService, RUNTIME_REQUESTS),
    imageApi: promiseClient(image, cri.ImageServiceService, IMAGE_REQUESTS),
    close: () => runtime.close(),
  };
}
