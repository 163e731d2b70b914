/** /healthz, /livez and /readyz: "ok" in plain text, 503 while the server is not ready. */
import type { ServerResponse } from 'node:http';

export function writeHealth(res: ServerResponse, check: 'healthz' | 'livez' | 'readyz', ready: () => boolean): void {
  const healthy = check !== 'readyz' || ready();
  const text = healthy ? 'ok' : '[-]readiness failed: the server is not ready\nreadyz check failed';
  res.statusCode = healthy ? 200 : 503;
  res.setHeader('Content-Type', 'text/plain; charset=utf-8');
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Cache-Control', 'no-cache, private');
  res.setHeader('Content-Length', Buffer.byteLength(text));
  res.end(text);
}
