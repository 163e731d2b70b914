import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { FakeRunner, FakeSysctl } from '../testing/fake-host.js';
import { BRIDGE_NF_CALL_IPTABLES, prepareHostNetwork, ROUTE_LOCALNET } from './host-network.js';

const logger = pino({ level: 'silent' });

describe('prepareHostNetwork', () => {
  it('sets route_localnet and turns bridge-nf-call-iptables on', async () => {
    const sysctl = new FakeSysctl(
      new Map([
        [ROUTE_LOCALNET, '0'],
        [BRIDGE_NF_CALL_IPTABLES, '0'],
      ]),
    );
    expect(await prepareHostNetwork(sysctl, new FakeRunner(), logger)).toEqual({ bridgeCallsIptables: true });
    expect(sysctl.values.get(ROUTE_LOCALNET)).toBe('1');
    expect(sysctl.values.get(BRIDGE_NF_CALL_IPTABLES)).toBe('1');
  });

  it('tries to load br_netfilter, and says bridged traffic misses iptables when it cannot', async () => {
    const runner = new FakeRunner();
    runner.answer = () => ({ code: 1, stdout: '', stderr: 'modprobe: not found' });
    const sysctl = new FakeSysctl(new Map([[ROUTE_LOCALNET, '1']]));
    expect(await prepareHostNetwork(sysctl, runner, logger)).toEqual({ bridgeCallsIptables: false });
    expect(runner.calls.map((c) => [c.command, ...c.args].join(' '))).toEqual(['modprobe br_netfilter']);
  });

  it('goes on when a setting cannot be written', async () => {
    const sysctl = new FakeSysctl(
      new Map([
        [ROUTE_LOCALNET, '0'],
        [BRIDGE_NF_CALL_IPTABLES, '0'],
      ]),
      new Set([ROUTE_LOCALNET, BRIDGE_NF_CALL_IPTABLES]),
    );
    expect(await prepareHostNetwork(sysctl, new FakeRunner(), logger)).toEqual({ bridgeCallsIptables: false });
  });
});
