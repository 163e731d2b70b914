/**
 * Whether the node is Ready, and why not (kube's runtime and network errors that the
 * Ready condition's message shows): the runtime answers and says RuntimeReady, the node
 * has a pod CIDR, and the network plugin says it is ready. The first problem found is
 * the message.
 */

import { NO_POD_CIDR_YET } from '../network/pod-cidr.js';
import type { NetworkPlugin, RuntimeService } from '../runtime/runtime-services.js';
import type { Readiness } from './node-object.js';

export interface ReadinessSources {
  runtime: Pick<RuntimeService, 'status'>;
  network: Pick<NetworkPlugin, 'status'>;
  /** The node's pod CIDR, undefined until the Node has one. */
  podCidr: () => string | undefined;
}

const STATUS_TIMEOUT_MS = 5_000;

export function nodeReadiness(sources: ReadinessSources): () => Promise<Readiness> {
  return async () => {
    try {
      const status = await sources.runtime.status({}, { timeoutMs: STATUS_TIMEOUT_MS });
      const runtimeReady = status.status?.conditions.find((c) => c.type === 'RuntimeReady');
      if (runtimeReady && !runtimeReady.status) {
        return {
          ready: false,
          message: `container runtime not ready: RuntimeReady=false reason:${runtimeReady.reason} message:${runtimeReady.message}`,
        };
      }
    } catch (err) {
      return { ready: false, message: `container runtime is down: ${errorText(err)}` };
    }
    if (!sources.podCidr()) return { ready: false, message: `network not ready: ${NO_POD_CIDR_YET}` };
    let networkMessage: string;
    try {
      const network = await sources.network.status();
      if (network.ready) return { ready: true };
      networkMessage = network.message;
    } catch (err) {
      networkMessage = errorText(err);
    }
    return {
      ready: false,
      message: `container runtime network not ready: NetworkReady=false reason:NetworkPluginNotReady message:${networkMessage}`,
    };
  };
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
