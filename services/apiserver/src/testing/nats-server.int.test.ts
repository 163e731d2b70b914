import { existsSync } from 'node:fs';
import { connect } from '@nats-io/transport-node';
import { describe, expect, it } from 'vitest';
import { startNatsServer } from './nats-server.js';

describe('startNatsServer', () => {
  it('starts a JetStream server on loopback, survives kill and restart, and cleans up', async () => {
    const nats = await startNatsServer();
    try {
      expect(nats.url).toBe(`nats://127.0.0.1:${nats.port}`);
      const nc = await connect({ servers: nats.url });
      expect(nc.info?.jetstream).toBe(true);
      await nc.close();

      await nats.kill();
      await expect(connect({ servers: nats.url, reconnect: false, timeout: 500 })).rejects.toThrow();
      await nats.restart();
      const again = await connect({ servers: nats.url });
      await again.close();
    } finally {
      await nats.stop();
    }
    expect(existsSync(nats.dataDir)).toBe(false);
    await expect(nats.restart()).rejects.toThrow(/removed/);
  });
});
