import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { ContainerService } from './containers.js';
import { runtimeHandlers } from './cri-server.js';
import { ContainerEventHub } from './events/container-event-hub.js';
import { ImageService } from './images.js';
import { LogManager } from './logs/log-manager.js';
import { SandboxDnsFiles } from './sandbox-dns-files.js';
import { SandboxService } from './sandboxes.js';
import { StreamingServer } from './streaming/streaming-server.js';
import { FakeEngine } from './testing/fake-engine.js';

/** The plugin's parts over a fake Docker, with a logger whose lines the test reads. */
function partsWithLog() {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  });
  const logger = pino({ level: 'info' }, sink);
  const engine = new FakeEngine();
  const logs = new LogManager(engine, logger);
  // No sandbox here has a DNS config: the directory is never written.
  const dnsFiles = new SandboxDnsFiles(join(tmpdir(), 'cri-docker-server-test-unused'));
  const sandboxes = new SandboxService({ engine, logs, pauseImage: 'tkube/pause:3.10', logger, dnsFiles });
  const containers = new ContainerService({ engine, logs, logger, dnsFiles });
  const parts = {
    engine,
    sandboxes,
    containers,
    images: new ImageService(engine, 'tkube/pause:3.10'),
    streaming: new StreamingServer({ engine, logger, address: '127.0.0.1:0' }),
    events: new ContainerEventHub({ engine, sandboxes, containers, logger }),
    logger,
  };
  return { parts, engine, lines };
}

describe('runtime handlers', () => {
  it('accepts UpdateRuntimeConfig without touching Docker, and logs the pod CIDR', async () => {
    const { parts, engine, lines } = partsWithLog();
    const handlers = runtimeHandlers(parts);
    await expect(
      handlers.updateRuntimeConfig({ runtimeConfig: { networkConfig: { podCidr: '10.244.2.0/24' } } }),
    ).resolves.toEqual({});
    await expect(handlers.updateRuntimeConfig({})).resolves.toEqual({});
    expect(engine.calls).toEqual([]);
    await new Promise((resolve) => setImmediate(resolve));
    expect(lines.map((line) => [line.msg, line.podCidr])).toEqual([
      ['pod CIDR noted; pod networking is left to the network plugin', '10.244.2.0/24'],
      ['pod CIDR noted; pod networking is left to the network plugin', ''],
    ]);
  });
});
