/**
 * GET pods/{name}/log: the container's log streamed from its kubelet's /containerLogs,
 * chunk by chunk as the kubelet writes it (so `kubectl logs -f` follows), until the
 * kubelet ends it or the reader goes, which drops the kubelet connection too.
 */
import { pipeline } from 'node:stream/promises';
import { type Pod, StatusError } from '@tkube/api';
import type { ResourceRequest } from '../resource-request.js';
import { chooseContainer } from './container-choice.js';
import { kubeletLogQuery, parseLogOptions } from './log-options.js';

export async function servePodLog(request: ResourceRequest): Promise<void> {
  const { namespace, name, res } = request;
  if (namespace === undefined || name === undefined) throw StatusError.pathNotFound();
  const options = parseLogOptions(request.query, name);
  const pod = (await request.registry.get(namespace, name)) as Pod;
  const container = chooseContainer(pod, options.container);
  const nodeName = pod.spec?.nodeName;
  if (!nodeName) {
    // kube-apiserver has no kubelet to ask for an unscheduled pod: an empty answer, no error.
    res.statusCode = 204;
    res.end();
    return;
  }
  const reader = new AbortController();
  const readerGone = () => reader.abort();
  res.once('close', readerGone);
  try {
    const logs = await request.kubelet.containerLogs(
      { nodeName, namespace, pod: name, container },
      kubeletLogQuery(options),
      reader.signal,
    );
    res.statusCode = 200;
    res.setHeader('Content-Type', 'text/plain');
    // A follow may stay silent for long; the reader should see the answer start at once.
    res.flushHeaders();
    await pipeline(logs, res);
  } catch (err) {
    // Once the reader is gone or the stream started, nobody is left to read a Status.
    if (reader.signal.aborted || res.headersSent) {
      request.logger.debug({ err, pod: `${namespace}/${name}` }, 'log stream ended early');
      return;
    }
    throw err;
  } finally {
    res.off('close', readerGone);
  }
}
