import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { buildKubeconfig, writeKubeconfig } from './kubeconfig.js';

const CA = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';

describe('kubeconfig', () => {
  it('names cluster, user and context tkube with the CA data and the token, tkube current', () => {
    const config = parse(buildKubeconfig({ server: 'https://127.0.0.1:6443', caCertPem: CA, token: 't0k3n' }));
    expect(config).toMatchObject({ apiVersion: 'v1', kind: 'Config', 'current-context': 'tkube' });
    expect(config.clusters).toEqual([
      {
        name: 'tkube',
        cluster: { server: 'https://127.0.0.1:6443', 'certificate-authority-data': Buffer.from(CA).toString('base64') },
      },
    ]);
    expect(config.users).toEqual([{ name: 'tkube-admin', user: { token: 't0k3n' } }]);
    expect(config.contexts).toEqual([{ name: 'tkube', context: { cluster: 'tkube', user: 'tkube-admin' } }]);
  });

  it('is written readable by its owner only (it holds the token) and replaced whole', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tkube-kubeconfig-'));
    try {
      const path = join(dir, 'kubeconfig');
      await writeKubeconfig(path, { server: 'https://127.0.0.1:1', caCertPem: CA, token: 'a' });
      await writeKubeconfig(path, { server: 'https://127.0.0.1:2', caCertPem: CA, token: 'b' });
      expect((await stat(path)).mode & 0o777).toBe(0o600);
      const config = parse(await readFile(path, 'utf8'));
      expect(config.clusters[0].cluster.server).toBe('https://127.0.0.1:2');
      expect(config.users[0].user.token).toBe('b');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
