/**
 * --interface on this host: tkube-dns puts its address on a link it creates (tkdnst<random>,
 * 10.97.253.10/32), answers there, keeps the link on stop, and --cleanup removes it.
 * Needs root and iproute2; traffic goes only to the address this test created.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { pino } from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { runCleanup } from './cleanup.js';
import type { ServeConfig } from './config/config.js';
import { type RunningDns, startDns } from './start-dns.js';
import { answerData, queryTcp, queryUdp } from './testing/dns-client.js';
import { FakeCluster } from './testing/fake-cluster.js';
import { clusterIPService } from './testing/objects.js';

const LINK = `tkdnst${randomBytes(3).toString('hex')}`;
const ADDRESS = '10.97.253.10';

function linkExists(): boolean {
  try {
    execFileSync('ip', ['link', 'show', 'dev', LINK], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

function addressesOfLink(): string {
  return execFileSync('ip', ['-o', '-4', 'addr', 'show', 'dev', LINK]).toString();
}

let dns: RunningDns | undefined;

afterAll(async () => {
  await dns?.stop();
  if (linkExists()) execFileSync('ip', ['link', 'del', 'dev', LINK]);
});

describe('--interface', () => {
  it('creates the link with the address, serves on it, keeps it on stop, and --cleanup removes it', async () => {
    const cluster = new FakeCluster();
    await cluster.create(
      { group: '', version: 'v1', resource: 'services', namespace: 'default' },
      clusterIPService('default', 'web', '10.96.4.2'),
    );
    const config: ServeConfig = {
      kind: 'serve',
      apiserverGrpc: 'in-memory:0',
      tokenFile: undefined,
      clusterDomain: 'cluster.local',
      listenAddress: ADDRESS,
      port: 0,
      interfaceName: LINK,
      serviceNamespace: 'kube-system',
      healthzBindAddress: undefined,
      logLevel: 'silent',
    };
    dns = await startDns(config, { client: cluster, syncTimeoutMs: 5000 });
    expect(addressesOfLink()).toContain(`${ADDRESS}/32`);

    const udp = await queryUdp(ADDRESS, dns.port, 'web.default.svc.cluster.local', 'A');
    expect(answerData(udp)).toEqual(['10.96.4.2']);
    const tcp = await queryTcp(ADDRESS, dns.port, 'web.default.svc.cluster.local', 'A');
    expect(answerData(tcp)).toEqual(['10.96.4.2']);

    await dns.stop();
    dns = undefined;
    expect(linkExists()).toBe(true);

    // A restart finds the link in place and adopts it.
    dns = await startDns(config, { client: cluster, syncTimeoutMs: 5000 });
    expect(answerData(await queryUdp(ADDRESS, dns.port, 'web.default.svc.cluster.local', 'A'))).toEqual(['10.96.4.2']);
    await dns.stop();
    dns = undefined;

    const quiet = { writeOut: () => {}, writeErr: () => {}, logger: () => pino({ level: 'silent' }) };
    expect(await runCleanup(['--cleanup', '--interface', LINK], quiet)).toBe(0);
    expect(linkExists()).toBe(false);
  });
});
