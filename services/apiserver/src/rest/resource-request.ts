/** Everything a resource handler needs about one request, resolved by the dispatcher. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ResourceInfo } from '@tkube/api';
import type { Logger } from 'pino';
import type { ResourceRegistry } from '../registry/types.js';
import type { RequestUser } from './authentication.js';
import type { KubeletClient } from './kubelet-proxy/kubelet-client.js';

export interface ResourceRequest {
  req: IncomingMessage;
  res: ServerResponse;
  registry: ResourceRegistry;
  info: ResourceInfo;
  /** The namespace from the path; undefined for cluster-scoped resources and all-namespace lists. */
  namespace?: string;
  name?: string;
  subresource?: string;
  query: URLSearchParams;
  user: RequestUser;
  maxBodyBytes: number;
  logger: Logger;
  /** Reaches the kubelets, for the subresources they serve (pods/log). */
  kubelet: KubeletClient;
}
