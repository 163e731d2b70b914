/**
 * The /healthz, /readyz and /metrics endpoints of the components that serve them on plain
 * HTTP (the scheduler, the controller-manager, DNS, the proxies): each gets a free loopback
 * port at each start (several clusters, and a proxy per node, share the host), and its pid
 * record keeps the command line, which is where the probe and `tkube status` find it.
 */
import { get } from 'node:http';
import { HEALTHZ_FLAG } from '@tkube/process';
import { readPidRecord } from './pid-file.js';
import { pickFreePort } from './ports.js';
import { PROBE_TIMEOUT_MS } from './probes.js';

const LOOPBACK = '127.0.0.1';

/** `--healthz-bind-address 127.0.0.1:<a free port>`. */
export async function healthzArgs(): Promise<string[]> {
  return [`--${HEALTHZ_FLAG}`, `${LOOPBACK}:${await pickFreePort()}`];
}

/** The --healthz-bind-address in a command line, if any. */
export function healthzAddressIn(argv: readonly string[]): string | undefined {
  const at = argv.indexOf(`--${HEALTHZ_FLAG}`);
  return at === -1 ? undefined : argv[at + 1];
}

/** GET http://<the address its pid record names>/readyz; true on 200 "ok". */
export async function probeHealthzReady(pidFile: string): Promise<boolean> {
  const address = healthzAddressIn((await readPidRecord(pidFile))?.argv ?? []);
  if (!address) return false;
  return new Promise((resolve) => {
    const req = get(`http://${address}/readyz`, { timeout: PROBE_TIMEOUT_MS }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        body += chunk;
      });
      res.on('end', () => resolve(res.statusCode === 200 && body === 'ok'));
      res.on('error', () => resolve(false));
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(false));
  });
}
