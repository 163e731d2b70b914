/**
 * CRI endpoints as the kubelet's flags spell them: `unix:///run/tkube/cri-docker.sock`,
 * `unix:/run/x.sock` or a bare path. gRPC wants `unix:///abs/path` (or `unix:rel`), a server
 * that listens wants the file path, to remove a stale socket first.
 */

/** The socket's file path of a unix endpoint; throws for any other scheme. */
export function socketPathOf(endpoint: string): string {
  const trimmed = endpoint.trim();
  if (trimmed.startsWith('unix://')) return trimmed.slice('unix://'.length);
  if (trimmed.startsWith('unix:')) return trimmed.slice('unix:'.length);
  if (/^[a-z][a-z0-9+.-]*:/i.test(trimmed)) {
    throw new Error(`unsupported CRI endpoint "${endpoint}": only unix sockets are served`);
  }
  if (trimmed === '') throw new Error('empty CRI endpoint');
  return trimmed;
}

/** The gRPC target for an endpoint: `unix:///abs/path`, or `unix:relative/path`. */
export function grpcTargetOf(endpoint: string): string {
  const path = socketPathOf(endpoint);
  return path.startsWith('/') ? `unix://${path}` : `unix:${path}`;
}
