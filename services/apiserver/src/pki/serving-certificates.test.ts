import { X509Certificate } from 'node:crypto';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, createServer, type Server } from 'node:tls';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ensureServingCertificates } from './serving-certificates.js';

let certDir: string;
beforeEach(async () => {
  certDir = await mkdtemp(join(tmpdir(), 'tkube-pki-'));
});
afterEach(async () => {
  await rm(certDir, { recursive: true, force: true });
});

describe('ensureServingCertificates', () => {
  it('makes a CA and a serving certificate that verifies against it with the loopback and host names', async () => {
    const made = await ensureServingCertificates({ certDir, hostname: 'node-a.example' });
    expect(made.created).toEqual({ ca: true, serving: true });

    const ca = new X509Certificate(made.caCert);
    const cert = new X509Certificate(made.cert);
    expect(ca.ca).toBe(true);
    expect(cert.ca).toBe(false);
    expect(cert.checkIssued(ca)).toBe(true);
    expect(cert.verify(ca.publicKey)).toBe(true);
    expect(cert.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(cert.checkIP('::1')).toBeDefined();
    expect(cert.checkHost('localhost')).toBe('localhost');
    expect(cert.checkHost('node-a.example')).toBe('node-a.example');
    expect(cert.checkHost('kubernetes.default.svc')).toBe('kubernetes.default.svc');
    expect(cert.checkHost('elsewhere.example')).toBeUndefined();
  });

  it('answers to the kubernetes Service address of the service range: 10.96.0.1, or the configured one', async () => {
    const made = await ensureServingCertificates({ certDir, hostname: 'h' });
    expect(new X509Certificate(made.cert).checkIP('10.96.0.1')).toBe('10.96.0.1');
    const other = await ensureServingCertificates({ certDir, hostname: 'h', kubernetesServiceIP: '10.97.16.1' });
    expect(other.created).toEqual({ ca: false, serving: true });
    const cert = new X509Certificate(other.cert);
    expect(cert.checkIP('10.97.16.1')).toBe('10.97.16.1');
    expect(cert.checkIP('10.96.0.1')).toBeUndefined();
  });

  it('keeps the private keys readable by the owner only', async () => {
    const made = await ensureServingCertificates({ certDir, hostname: 'h' });
    expect((await stat(made.paths.caKey)).mode & 0o777).toBe(0o600);
    expect((await stat(made.paths.key)).mode & 0o777).toBe(0o600);
    expect(made.paths.caCert).toBe(join(certDir, 'ca.crt'));
    expect(made.paths.cert).toBe(join(certDir, 'apiserver.crt'));
  });

  it('reuses what the cert dir holds on a later start', async () => {
    const first = await ensureServingCertificates({ certDir, hostname: 'h' });
    const second = await ensureServingCertificates({ certDir, hostname: 'h' });
    expect(second.created).toEqual({ ca: false, serving: false });
    expect(second.caCert).toBe(first.caCert);
    expect(second.cert).toBe(first.cert);
    expect(second.key).toBe(first.key);
  });

  it('issues the serving certificate again, with the same CA, when a wanted name is missing', async () => {
    const first = await ensureServingCertificates({ certDir, hostname: 'h' });
    const second = await ensureServingCertificates({
      certDir,
      hostname: 'h',
      extraNames: ['192.0.2.7', 'api.example'],
    });
    expect(second.created).toEqual({ ca: false, serving: true });
    expect(second.caCert).toBe(first.caCert);
    const cert = new X509Certificate(second.cert);
    expect(cert.checkIP('192.0.2.7')).toBe('192.0.2.7');
    expect(cert.checkHost('api.example')).toBe('api.example');
    expect(cert.verify(new X509Certificate(second.caCert).publicKey)).toBe(true);
  });

  it('issues it again when it nears expiry', async () => {
    await ensureServingCertificates({ certDir, hostname: 'h' });
    const inElevenMonths = new Date(Date.now() + 340 * 24 * 3600 * 1000);
    const later = await ensureServingCertificates({ certDir, hostname: 'h', now: () => inElevenMonths });
    expect(later.created).toEqual({ ca: false, serving: true });
  });

  it('makes one CA when two apiservers start on the same cert dir at once', async () => {
    const [a, b] = await Promise.all([
      ensureServingCertificates({ certDir, hostname: 'h' }),
      ensureServingCertificates({ certDir, hostname: 'h' }),
    ]);
    expect(a.caCert).toBe(b.caCert);
    expect(a.cert).toBe(b.cert);
  });

  it('serves TLS that a client trusting only the CA accepts on 127.0.0.1', async () => {
    const made = await ensureServingCertificates({ certDir, hostname: 'h' });
    const server: Server = createServer({ cert: made.cert, key: made.key }, (socket) => socket.end('hello'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('no port');
    try {
      const greeting = await new Promise<string>((resolve, reject) => {
        const socket = connect({ host: '127.0.0.1', port: address.port, ca: made.caCert }, () => {
          socket.once('data', (data) => resolve(String(data)));
        });
        socket.once('error', reject);
      });
      expect(greeting).toBe('hello');
    } finally {
      server.close();
    }
  });
});
