/**
 * Reading request bodies under kube-apiserver's size limit (3 MiB by default). A body
 * announced or found larger is refused with 413 without holding the rest in memory.
 */
import type { IncomingMessage } from 'node:http';
import { StatusError } from '@tkube/api';

export const DEFAULT_MAX_BODY_BYTES = 3 * 1024 * 1024;

export class BodyTooLargeError extends StatusError {
  constructor(limit: number) {
    super(413, 'RequestEntityTooLarge', `Request entity too large: limit is ${limit}`);
  }
}

export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const announced = Number(req.headers['content-length']);
  if (Number.isFinite(announced) && announced > limit) return Promise.reject(new BodyTooLargeError(limit));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const finish = (error?: Error) => {
      if (settled) return;
      settled = true;
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('aborted', onAborted);
      if (error) reject(error);
      else resolve(Buffer.concat(chunks, size));
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        chunks.length = 0;
        req.pause();
        finish(new BodyTooLargeError(limit));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => finish();
    const onError = (error: Error) =>
      finish(StatusError.badRequest(`error reading the request body: ${error.message}`));
    const onAborted = () => finish(StatusError.badRequest('the client aborted the request'));
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('aborted', onAborted);
  });
}
