import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CniErrorCode, NetworkPluginError } from '@tkube/api/cni';
import { parseCidr } from '@tkube/process';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runTsSnippet, sourceUrl } from '../testing/ts-child-process.js';
import { HostLocalIpam } from './host-local-ipam.js';

function subnet(text: string) {
  const cidr = parseCidr(text);
  if (!cidr) throw new Error(`bad test CIDR ${text}`);
  return cidr;
}

describe('HostLocalIpam', () => {
  let dir: string;
  beforeEach(async () => {
    dir = join(await mkdtemp(join(tmpdir(), 'tkube-ipam-')), 'networks', 'tkube0');
  });
  afterEach(async () => {
    await rm(join(dir, '..', '..'), { recursive: true, force: true });
  });

  const ipamFor = (cidr = '10.244.1.0/24') => new HostLocalIpam({ dir, subnet: subnet(cidr) });

  it('hands out addresses in order after the gateway', async () => {
    const ipam = ipamFor();
    expect(await ipam.allocate('a', 'eth0')).toBe('10.244.1.2');
    expect(await ipam.allocate('b', 'eth0')).toBe('10.244.1.3');
    expect(await ipam.allocate('a', 'eth1')).toBe('10.244.1.4');
    expect(ipam.capacity).toBe(253);
  });

  it('writes one file per address naming its owner', async () => {
    const ipam = ipamFor();
    await ipam.allocate('pod-a', 'eth0');
    expect(await readFile(join(dir, '10.244.1.2'), 'utf8')).toBe('pod-a\neth0\n');
    expect((await readdir(dir)).filter((name) => name.startsWith('.'))).toEqual([]);
  });

  it('never gives out the network, gateway or broadcast address, and fails when exhausted', async () => {
    const ipam = ipamFor('10.244.1.0/29');
    const addresses: string[] = [];
    for (let i = 0; i < 5; i++) addresses.push(await ipam.allocate(`c${i}`, 'eth0'));
    expect(addresses).toEqual(['10.244.1.2', '10.244.1.3', '10.244.1.4', '10.244.1.5', '10.244.1.6']);
    const error = await ipam.allocate('one-too-many', 'eth0').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NetworkPluginError);
    expect((error as NetworkPluginError).code).toBe(CniErrorCode.AddressesExhausted);
    expect((error as NetworkPluginError).message).toContain('10.244.1.0/29');
  });

  it('refuses a second address for the same attachment', async () => {
    const ipam = ipamFor();
    await ipam.allocate('a', 'eth0');
    const error = await ipam.allocate('a', 'eth0').catch((e: unknown) => e);
    expect((error as NetworkPluginError).code).toBe(CniErrorCode.DuplicateAttachment);
    expect(await ipam.list()).toHaveLength(1);
  });

  it('releases by container id and interface, and releasing twice is fine', async () => {
    const ipam = ipamFor();
    await ipam.allocate('a', 'eth0');
    await ipam.allocate('b', 'eth0');
    expect(await ipam.release('a', 'eth0')).toEqual(['10.244.1.2']);
    expect(await ipam.release('a', 'eth0')).toEqual([]);
    expect(await ipam.release('never-added', 'eth0')).toEqual([]);
    expect((await ipam.list()).map((a) => a.containerId)).toEqual(['b']);
  });

  it('rotates past a released address, then reuses it once the range wraps', async () => {
    const ipam = ipamFor('10.244.1.0/29');
    for (let i = 0; i < 5; i++) await ipam.allocate(`c${i}`, 'eth0');
    await ipam.release('c1', 'eth0');
    expect(await ipam.allocate('next', 'eth0')).toBe('10.244.1.3');
    await ipam.release('c0', 'eth0');
    await ipam.release('c3', 'eth0');
    // The last claim was .3, so the search resumes at .4 and finds .5 before wrapping to .2.
    expect(await ipam.allocate('after', 'eth0')).toBe('10.244.1.5');
    expect(await ipam.allocate('wrapped', 'eth0')).toBe('10.244.1.2');
  });

  it('keeps its state across a restart (a new instance on the same directory)', async () => {
    await ipamFor().allocate('a', 'eth0');
    await ipamFor().allocate('b', 'eth0');
    const restarted = ipamFor();
    expect(await restarted.find('a', 'eth0')).toBe('10.244.1.2');
    expect(await restarted.allocate('c', 'eth0')).toBe('10.244.1.4');
    expect(await restarted.release('b', 'eth0')).toEqual(['10.244.1.3']);
  });

  it('gives concurrent allocations in one process distinct addresses', async () => {
    const ipam = ipamFor();
    const addresses = await Promise.all(Array.from({ length: 40 }, (_, i) => ipam.allocate(`c${i}`, 'eth0')));
    expect(new Set(addresses).size).toBe(40);
    expect(await ipam.list()).toHaveLength(40);
  });

  it('gives concurrent allocations from two processes distinct addresses', async () => {
    const perProcess = 30;
    const snippet = (prefix: string) => `
      const { HostLocalIpam } = await import(${JSON.stringify(sourceUrl('ipam/host-local-ipam.ts'))});
      const { parseCidr } = await import('@tkube/process');
      const ipam = new HostLocalIpam({ dir: ${JSON.stringify(dir)}, subnet: parseCidr('10.244.1.0/24') });
      const ids = Array.from({ length: ${perProcess} }, (_, i) => '${prefix}' + i);
      const addresses = await Promise.all(ids.map((id) => ipam.allocate(id, 'eth0')));
      process.stdout.write(JSON.stringify(addresses));
    `;
    const outputs = await Promise.all([runTsSnippet(snippet('first')), runTsSnippet(snippet('second'))]);
    const addresses = outputs.flatMap((output) => JSON.parse(output) as string[]);
    expect(addresses).toHaveLength(2 * perProcess);
    expect(new Set(addresses).size).toBe(2 * perProcess);
    const owners = await ipamFor().list();
    expect(owners).toHaveLength(2 * perProcess);
    expect(new Set(owners.map((a) => a.containerId)).size).toBe(2 * perProcess);
  });
});
