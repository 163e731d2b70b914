/**
 * Bearer-token authentication of gRPC calls: the token travels in the `authorization`
 * metadata as "Bearer <token>", as on the REST API.
 */
import { timingSafeEqual } from 'node:crypto';
import type { Metadata } from '@grpc/grpc-js';

export type Authenticator = (metadata: Metadata) => boolean;

export function bearerTokenAuthenticator(token: string): Authenticator {
  const expected = Buffer.from(`Bearer ${token}`);
  return (metadata) => {
    const [value] = metadata.get('authorization');
    if (typeof value !== 'string') return false;
    const presented = Buffer.from(value);
    // Constant-time comparison so the token cannot be guessed byte by byte from timings.
    return presented.length === expected.length && timingSafeEqual(presented, expected);
  };
}
