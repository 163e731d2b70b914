import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { probeUnixSocket } from './probes.js';

describe('probeUnixSocket', () => {
  it('is true while a server listens, false for a leftover socket file or none', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tkube-probe-'));
    try {
      const path = join(dir, 'cri.sock');
      expect(await probeUnixSocket(path)).toBe(false);
      const server = createServer((socket) => socket.end());
      await new Promise<void>((resolve) => server.listen(path, resolve));
      expect(await probeUnixSocket(path)).toBe(true);
      await new Promise((resolve) => server.close(resolve));
      await writeFile(join(dir, 'plain'), '');
      expect(await probeUnixSocket(join(dir, 'plain'))).toBe(false);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
