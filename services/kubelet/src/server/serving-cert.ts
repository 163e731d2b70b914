/**
 * The kubelet API's self-signed serving certificate, as the real kubelet makes one when
 * given none (`<root-dir>/pki/kubelet.crt` and `.key`), with the node's names and
 * addresses as subject alternative names. Made once with Debian's openssl binary, reused
 * after; a certificate that lacks a current address is made again.
 */
import { execFile } from 'node:child_process';
import { mkdir, readFile } from 'node:fs/promises';
import { isIP } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const OPENSSL = process.env.TKUBE_OPENSSL ?? 'openssl';

export interface ServingCert {
  cert: Buffer;
  key: Buffer;
}

export async function ensureServingCert(pkiDir: string, nodeName: string, addresses: string[]): Promise<ServingCert> {
  await mkdir(pkiDir, { recursive: true, mode: 0o700 });
  const certPath = join(pkiDir, 'kubelet.crt');
  const keyPath = join(pkiDir, 'kubelet.key');
  const names = [...new Set([...addresses, nodeName, 'localhost'])];
  const existing = await readPair(certPath, keyPath);
  if (existing && (await coversNames(certPath, names))) return existing;
  const san = names.map((n) => (isIP(n) ? `IP:${n}` : `DNS:${n}`)).join(',');
  await run(
    OPENSSL,
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-sha256',
      '-days',
      '365',
      '-keyout',
      keyPath,
      '-out',
      certPath,
      '-subj',
      `/CN=${nodeName}@${Math.floor(Date.now() / 1000)}`,
      '-addext',
      `subjectAltName=${san}`,
    ],
    { timeout: 30_000 },
  );
  const made = await readPair(certPath, keyPath);
  if (!made) throw new Error(`openssl did not write ${certPath}`);
  return made;
}

async function readPair(certPath: string, keyPath: string): Promise<ServingCert | undefined> {
  try {
    return { cert: await readFile(certPath), key: await readFile(keyPath) };
  } catch {
    return undefined;
  }
}

async function coversNames(certPath: string, names: string[]): Promise<boolean> {
  try {
    const { stdout } = await run(OPENSSL, ['x509', '-in', certPath, '-noout', '-ext', 'subjectAltName'], {
      timeout: 10_000,
    });
    return names.every((n) => stdout.includes(isIP(n) ? `IP Address:${n}` : `DNS:${n}`));
  } catch {
    return false;
  }
}
