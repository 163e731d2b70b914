/**
 * The apiserver's PKI: a CA made at first start and a serving certificate signed by it,
 * both kept in the cert dir and reused on later starts, so a kubeconfig written once keeps
 * working across restarts. The serving certificate is issued again (by the same CA) when
 * it no longer covers the wanted names, no longer verifies against the CA, or nears expiry.
 *
 *   <certDir>/ca.crt  ca.key (0600)  apiserver.crt  apiserver.key (0600)
 */
import { randomBytes, X509Certificate } from 'node:crypto';
import { chmod, mkdir, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { hostname as osHostname } from 'node:os';
import { join } from 'node:path';
import { isErrno, withFileLock } from './dir-lock.js';
import { runOpenssl } from './openssl.js';
import { opensslSubjectAltName, type SubjectAltNames, subjectAltNames } from './subject-alt-names.js';

const CA_VALIDITY_DAYS = 3650;
const SERVING_VALIDITY_DAYS = 365;
/** A serving certificate that expires sooner than this is issued again at start. */
const RENEW_BEFORE_MS = 30 * 24 * 3600 * 1000;
const CA_SUBJECT = '/CN=tkube-ca';
const SERVING_SUBJECT = '/CN=tkube-apiserver';
const EC_KEY = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

export interface CertificatePaths {
  caCert: string;
  caKey: string;
  cert: string;
  key: string;
}

export interface ServingCertificates {
  paths: CertificatePaths;
  /** PEM texts: what TLS servers and kubeconfigs take. */
  caCert: string;
  cert: string;
  key: string;
  /** What this call made (false: reused from the cert dir). */
  created: { ca: boolean; serving: boolean };
}

export interface ServingCertificateOptions {
  certDir: string;
  /** The host's name for the certificate; defaults to os.hostname(). */
  hostname?: string;
  /** More DNS names or IP addresses to include (e.g. the bind address). */
  extraNames?: readonly string[];
  /** The `kubernetes` Service's ClusterIP (first address of the service range); 10.96.0.1 when absent. */
  kubernetesServiceIP?: string;
  now?: () => Date;
}

export function certificatePaths(certDir: string): CertificatePaths {
  return {
    caCert: join(certDir, 'ca.crt'),
    caKey: join(certDir, 'ca.key'),
    cert: join(certDir, 'apiserver.crt'),
    key: join(certDir, 'apiserver.key'),
  };
}

export async function ensureServingCertificates(options: ServingCertificateOptions): Promise<ServingCertificates> {
  const paths = certificatePaths(options.certDir);
  const sans = subjectAltNames(options.hostname ?? osHostname(), options.extraNames ?? [], options.kubernetesServiceIP);
  const now = options.now ?? (() => new Date());
  await mkdir(options.certDir, { recursive: true, mode: 0o700 });

  return withFileLock(join(options.certDir, '.lock'), async () => {
    let createdCa = false;
    if (!(await exists(paths.caCert)) || !(await exists(paths.caKey))) {
      await createCa(options.certDir, paths);
      createdCa = true;
    }
    const caCert = await readFile(paths.caCert, 'utf8');
    const current = await readServing(paths);
    let createdServing = false;
    if (createdCa || !current || !servingIsUsable(current.cert, caCert, sans, now())) {
      await issueServing(options.certDir, paths, sans);
      createdServing = true;
    }
    const serving = await readServing(paths);
    if (!serving) throw new Error(`the serving certificate in ${options.certDir} could not be read after issuing it`);
    return { paths, caCert, cert: serving.cert, key: serving.key, created: { ca: createdCa, serving: createdServing } };
  });
}

/** Whether the certificate is signed by the CA, covers every wanted name and is not near expiry. */
export function servingIsUsable(certPem: string, caPem: string, sans: SubjectAltNames, now: Date): boolean {
  let cert: X509Certificate;
  let ca: X509Certificate;
  try {
    cert = new X509Certificate(certPem);
    ca = new X509Certificate(caPem);
  } catch {
    return false;
  }
  if (!cert.checkIssued(ca) || !cert.verify(ca.publicKey)) return false;
  if (new Date(cert.validTo).getTime() - now.getTime() < RENEW_BEFORE_MS) return false;
  const names = cert.subjectAltName ?? '';
  const present = new Set(names.split(',').map((entry) => entry.trim()));
  return (
    sans.dnsNames.every((d) => present.has(`DNS:${d}`)) &&
    sans.ipAddresses.every((ip) => present.has(`IP Address:${normalizeIp(ip)}`))
  );
}

/** node prints IPv6 SANs in full lower-case form ("0:0:0:0:0:0:0:1"); match that. */
function normalizeIp(ip: string): string {
  if (!ip.includes(':')) return ip;
  const [head = '', tail = ''] = ip.split('::');
  const headParts = head === '' ? [] : head.split(':');
  const tailParts = tail === '' ? [] : tail.split(':');
  const groups = ip.includes('::')
    ? [...headParts, ...Array(8 - headParts.length - tailParts.length).fill('0'), ...tailParts]
    : ip.split(':');
  return groups.map((g) => (g.replace(/^0+/, '') || '0').toLowerCase()).join(':');
}

async function createCa(certDir: string, paths: CertificatePaths): Promise<void> {
  await inScratchDir(certDir, async (scratch) => {
    const key = join(scratch, 'ca.key');
    const cert = join(scratch, 'ca.crt');
    await runOpenssl([
      'req',
      '-x509',
      '-new',
      ...EC_KEY,
      '-keyout',
      key,
      '-out',
      cert,
      '-days',
      String(CA_VALIDITY_DAYS),
      '-subj',
      CA_SUBJECT,
      '-addext',
      'basicConstraints=critical,CA:TRUE',
      '-addext',
      'keyUsage=critical,digitalSignature,keyCertSign,cRLSign',
    ]);
    await chmod(key, 0o600);
    // Key first: a cert in place always has its key beside it.
    await rename(key, paths.caKey);
    await rename(cert, paths.caCert);
  });
}

async function issueServing(certDir: string, paths: CertificatePaths, sans: SubjectAltNames): Promise<void> {
  await inScratchDir(certDir, async (scratch) => {
    const key = join(scratch, 'apiserver.key');
    const csr = join(scratch, 'apiserver.csr');
    const cert = join(scratch, 'apiserver.crt');
    const extensions = join(scratch, 'extensions.cnf');
    await writeFile(
      extensions,
      [
        'basicConstraints=critical,CA:FALSE',
        'keyUsage=critical,digitalSignature,keyEncipherment',
        'extendedKeyUsage=serverAuth',
        'subjectKeyIdentifier=hash',
        'authorityKeyIdentifier=keyid',
        `subjectAltName=${opensslSubjectAltName(sans)}`,
        '',
      ].join('\n'),
    );
    await runOpenssl(['req', '-new', ...EC_KEY, '-keyout', key, '-out', csr, '-subj', SERVING_SUBJECT]);
    await runOpenssl([
      'x509',
      '-req',
      '-in',
      csr,
      '-CA',
      paths.caCert,
      '-CAkey',
      paths.caKey,
      '-set_serial',
      randomSerial(),
      '-days',
      String(SERVING_VALIDITY_DAYS),
      '-sha256',
      '-extfile',
      extensions,
      '-out',
      cert,
    ]);
    await chmod(key, 0o600);
    await rename(key, paths.key);
    await rename(cert, paths.cert);
  });
}

/** A positive 128-bit serial: RFC 5280 wants it unique, Go's x509 wants it positive. */
function randomSerial(): string {
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0] ?? 0) & 0x7f;
  return `0x${bytes.toString('hex')}`;
}

async function readServing(paths: CertificatePaths): Promise<{ cert: string; key: string } | undefined> {
  try {
    return { cert: await readFile(paths.cert, 'utf8'), key: await readFile(paths.key, 'utf8') };
  } catch (err) {
    if (isErrno(err, 'ENOENT')) return undefined;
    throw err;
  }
}

async function inScratchDir(certDir: string, work: (dir: string) => Promise<void>): Promise<void> {
  const scratch = await mkdtemp(join(certDir, '.scratch-'));
  try {
    await work(scratch);
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await readFile(path);
    return true;
  } catch (err) {
    if (isErrno(err, 'ENOENT')) return false;
    throw err;
  }
}
