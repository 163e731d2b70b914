/**
 * pods/{name}/exec and pods/{name}/attach queries (PodExecOptions, PodAttachOptions)
 * turned into the kubelet's /exec and /attach queries, as kube-apiserver's streamParams:
 * each requested stream as "1", the command words in order. stdout and stderr default to
 * on (SetDefaults_PodExecOptions); the kubelet drops stderr when a TTY is asked for.
 */
import { queryBool } from './query-values.js';

export type StreamKind = 'exec' | 'attach';

export function kubeletStreamQuery(query: URLSearchParams, kind: StreamKind): URLSearchParams {
  const params = new URLSearchParams();
  if (kind === 'exec') {
    for (const word of query.getAll('command')) params.append('command', word);
  }
  if (queryBool(query, 'stdin') ?? false) params.set('stdin', '1');
  if (queryBool(query, 'stdout') ?? true) params.set('stdout', '1');
  if (queryBool(query, 'stderr') ?? true) params.set('stderr', '1');
  if (queryBool(query, 'tty') ?? false) params.set('tty', '1');
  return params;
}
