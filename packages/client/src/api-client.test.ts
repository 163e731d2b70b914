import { createServer } from 'node:net';
import { StatusError } from '@tkube/api';
import { describe, expect, it } from 'vitest';
import { ApiClient } from './api-client.js';

const PODS = { group: '', version: 'v1', resource: 'pods', namespace: 'default' };

/** A loopback port nothing listens on (bound, then released). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (typeof address !== 'object' || address === null) throw new Error('no port');
  return address.port;
}

async function caught(promise: Promise<unknown>): Promise<StatusError> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof StatusError) return err;
    throw new Error(`expected a StatusError, got ${String(err)}`);
  }
  throw new Error('expected the call to fail');
}

describe('ApiClient without an apiserver', () => {
  it('fails fast with ServiceUnavailable when asked to', async () => {
    const client = ApiClient.connect({ address: `127.0.0.1:${await closedPort()}`, failFast: true });
    try {
      expect(await caught(client.get(PODS, 'web'))).toMatchObject({ code: 503, reason: 'ServiceUnavailable' });
    } finally {
      client.close();
    }
  });

  it('by default waits for the apiserver until the call deadline, then answers Timeout', async () => {
    const client = ApiClient.connect({ address: `127.0.0.1:${await closedPort()}`, callTimeoutMs: 300 });
    try {
      const started = Date.now();
      expect(await caught(client.list(PODS))).toMatchObject({ code: 504, reason: 'Timeout' });
      expect(Date.now() - started).toBeGreaterThanOrEqual(250);
      expect(await caught(client.waitForReady(100))).toMatchObject({ code: 503 });
    } finally {
      client.close();
    }
  });

  it('throws the transport failure from a watch iteration', async () => {
    const client = ApiClient.connect({ address: `127.0.0.1:${await closedPort()}` });
    try {
      const events = client.watch(PODS)[Symbol.asyncIterator]();
      expect(await caught(events.next())).toMatchObject({ code: 503 });
    } finally {
      client.close();
    }
  });

  it('refuses to update an object that does not name itself', async () => {
    const client = ApiClient.connect({ address: `127.0.0.1:${await closedPort()}` });
    try {
      expect(await caught(client.update(PODS, { metadata: {} }))).toMatchObject({ code: 400, reason: 'BadRequest' });
      expect(await caught(client.bind('default', { metadata: {}, target: { name: 'n' } }))).toMatchObject({
        code: 400,
      });
    } finally {
      client.close();
    }
  });
});
