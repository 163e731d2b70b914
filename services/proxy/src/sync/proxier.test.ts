import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import type { BuildOptions } from '../rules/build-ruleset.js';
import { type ServicePortInfo, servicePortsOf } from '../rules/service-ports.js';
import { FakeRunner, FakeWriter } from '../testing/fake-host.js';
import { service, slice } from '../testing/objects.js';
import { Proxier } from './proxier.js';

const OPTIONS: BuildOptions = {
  instance: 'n',
  tag: 'ABCDE',
  clusterCidr: undefined,
  masqueradeAll: false,
  nodePortAddresses: [],
};

function setup() {
  const writer = new FakeWriter();
  const runner = new FakeRunner();
  let ports: ServicePortInfo[] = [];
  const proxier = new Proxier({
    writer,
    runner,
    servicePorts: () => ports,
    buildOptions: () => OPTIONS,
    logger: pino({ level: 'silent' }),
  });
  return { writer, runner, proxier, set: (p: ServicePortInfo[]) => (ports = p) };
}

describe('Proxier', () => {
  it('writes the whole ruleset in one restore, and skips an unchanged world unless the sync is full', async () => {
    const t = setup();
    t.set(servicePortsOf([service('web', {})], [slice('web', ['10.244.1.2'])]));
    await t.proxier.sync(true);
    expect(t.writer.restores).toHaveLength(1);
    expect(t.writer.restores[0]).toContain('--to-destination 10.244.1.2:8080');
    await t.proxier.sync(false);
    expect(t.writer.restores).toHaveLength(1);
    await t.proxier.sync(true);
    expect(t.writer.restores).toHaveLength(2);
    t.set(servicePortsOf([service('web', {})], [slice('web', ['10.244.1.3'])]));
    await t.proxier.sync(false);
    expect(t.writer.restores).toHaveLength(3);
    expect(t.writer.restores[2]).toContain('--to-destination 10.244.1.3:8080');
    expect(t.writer.restores[2]).not.toContain('10.244.1.2');
  });

  it('fails a sync whose restore fails, and writes again on the next one', async () => {
    const t = setup();
    t.writer.failNext = 1;
    await expect(t.proxier.sync(false)).rejects.toThrow(/iptables-restore/);
    await t.proxier.sync(false);
    expect(t.writer.restores).toHaveLength(1);
    await expect(t.proxier.written()).resolves.toBeUndefined();
  });

  it('deletes conntrack entries of UDP endpoints that went away', async () => {
    const t = setup();
    const udp = (ips: string[]) =>
      servicePortsOf(
        [service('dns', { clusterIP: '10.96.0.10', ports: [{ name: 'dns', port: 53, protocol: 'UDP' }] })],
        [slice('dns', ips, [{ name: 'dns', port: 53, protocol: 'UDP' }])],
      );
    t.set(udp(['10.244.0.5']));
    await t.proxier.sync(true);
    t.set(udp(['10.244.0.6']));
    await t.proxier.sync(false);
    expect(t.runner.calls.map((c) => [c.command, ...c.args].join(' '))).toEqual([
      'conntrack -D -p udp --orig-dst 10.96.0.10 --dst-nat 10.244.0.5',
    ]);
  });
});
