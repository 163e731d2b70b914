/**
 * For integration tests: a REST server over real registries on MemoryStorage, with a
 * self-signed certificate made by openssl, a bearer token, and a kubeconfig for kubectl.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRegistries, ensureSystemNamespaces, type Registries } from '../../registry/registries.js';
import { MemoryStorage } from '../../storage/memory-storage.js';
import { type RestServer, type RestServerOptions, startRestServer } from '../rest-server.js';

export const TEST_TOKEN = 'test-token-0123456789';

export interface TestServer {
  server: RestServer;
  registries: Registries;
  storage: MemoryStorage;
  dir: string;
  kubeconfig: string;
  caFile: string;
  close(): Promise<void>;
}

/**
 * A self-signed serving certificate for 127.0.0.1 and localhost, made with openssl in `dir`
 * as `<fileName>.crt` and `.key` (servers sharing a dir give different names).
 */
export function makeCertificate(
  dir: string,
  { commonName = 'tkube-apiserver', fileName = 'server' } = {},
): { cert: string; key: string } {
  const certFile = join(dir, `${fileName}.crt`);
  const keyFile = join(dir, `${fileName}.key`);
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-keyout',
      keyFile,
      '-out',
      certFile,
      '-days',
      '1',
      '-subj',
      `/CN=${commonName}`,
      '-addext',
      'subjectAltName=IP:127.0.0.1,DNS:localhost',
    ],
    { stdio: 'ignore' },
  );
  return { cert: readFileSync(certFile, 'utf8'), key: readFileSync(keyFile, 'utf8') };
}

export async function startTestServer(options: Partial<RestServerOptions> = {}): Promise<TestServer> {
  const dir = mkdtempSync(join(tmpdir(), 'tkube-rest-'));
  const tls = makeCertificate(dir);
  const storage = new MemoryStorage();
  const registries = createRegistries(storage);
  await ensureSystemNamespaces(registries);
  const server = await startRestServer({
    registries,
    host: '127.0.0.1',
    port: 0,
    tls,
    authenticate: (token) => (token === TEST_TOKEN ? { user: 'admin' } : undefined),
    ...options,
  });
  const caFile = join(dir, 'server.crt');
  const kubeconfig = join(dir, 'kubeconfig');
  writeFileSync(
    kubeconfig,
    [
      'apiVersion: v1',
      'kind: Config',
      'clusters:',
      '- name: tkube',
      '  cluster:',
      `    server: ${server.url}`,
      `    certificate-authority: ${caFile}`,
      'users:',
      '- name: admin',
      '  user:',
      `    token: ${TEST_TOKEN}`,
      'contexts:',
      '- name: tkube',
      '  context: {cluster: tkube, user: admin, namespace: default}',
      'current-context: tkube',
      '',
    ].join('\n'),
  );
  return {
    server,
    registries,
    storage,
    dir,
    kubeconfig,
    caFile,
    async close() {
      await server.close();
      await storage.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
