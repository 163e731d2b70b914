import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runTeardownCommand, type TeardownReport } from './teardown-command.js';
import { FakeNetworkHost } from './testing/fake-network-host.js';

function recordingIo() {
  const io = { out: '', err: '' };
  return {
    io,
    writeOut: (text: string) => {
      io.out += text;
    },
    writeErr: (text: string) => {
      io.err += text;
    },
  };
}

describe('tkube-cni-bridge --teardown', () => {
  let stateDir: string;
  let host: FakeNetworkHost;
  const hostFor = (bridge: string) => {
    expect(bridge).toBe('tkt9');
    return host;
  };

  beforeEach(async () => {
    stateDir = await mkdtemp(join(tmpdir(), 'tkube-teardown-cmd-'));
    await mkdir(join(stateDir, 'networks', 'tkt9'), { recursive: true });
    host = new FakeNetworkHost('tkt9', '10.244.9.1/24');
    await host.ensureHostNetwork();
  });
  afterEach(async () => {
    await rm(stateDir, { recursive: true, force: true });
  });

  it('prints a line per removal and exits 0', async () => {
    const output = recordingIo();
    const argv = ['--teardown', '--bridge', 'tkt9', '--pod-cidr', '10.244.9.0/24', '--state-dir', stateDir];
    expect(await runTeardownCommand(argv, output, hostFor)).toBe(0);
    expect(output.io.out.split('\n')).toEqual([
      'removed: jump filter FORWARD -> TKUBE-FWD-tkt9',
      'removed: chain filter TKUBE-FWD-tkt9',
      'removed: jump nat POSTROUTING -> TKUBE-MASQ-tkt9',
      'removed: chain nat TKUBE-MASQ-tkt9',
      'removed: bridge tkt9',
      `removed: ipam-state ${join(stateDir, 'networks', 'tkt9')}`,
      '',
    ]);
    expect(output.io.err).toBe('');
  });

  it('prints one JSON report with --output json, also when all was already gone', async () => {
    await runTeardownCommand(['--teardown', '--bridge', 'tkt9', '--state-dir', stateDir], recordingIo(), hostFor);
    const output = recordingIo();
    const argv = ['--teardown', '--bridge', 'tkt9', '--state-dir', stateDir, '--output', 'json'];
    expect(await runTeardownCommand(argv, output, hostFor)).toBe(0);
    const report = JSON.parse(output.io.out) as TeardownReport;
    expect(report.bridge).toBe('tkt9');
    expect(report.error).toBeUndefined();
    expect(report.removals).toHaveLength(6);
    expect(report.removals.every((r) => r.outcome === 'already gone')).toBe(true);
  });

  it('exits 1 with the reason on stderr, and the partial report, when a removal fails', async () => {
    host.failNext('teardownHostNetwork');
    const output = recordingIo();
    const argv = ['--teardown', '--bridge', 'tkt9', '--state-dir', stateDir, '--output', 'json'];
    expect(await runTeardownCommand(argv, output, hostFor)).toBe(1);
    expect(output.io.err).toBe(
      'tkube-cni-bridge: the teardown of bridge tkt9 failed: injected failure of teardownHostNetwork\n',
    );
    expect(JSON.parse(output.io.out)).toEqual({
      bridge: 'tkt9',
      removals: [],
      error: 'the teardown of bridge tkt9 failed: injected failure of teardownHostNetwork',
    });
  });

  it('without --pod-cidr, guards the bridge with the block the plugin recorded', async () => {
    const output = recordingIo();
    await writeFile(join(stateDir, 'networks', 'tkt9', 'node-pod-cidr'), '10.244.8.0/24\n');
    const argv = ['--teardown', '--bridge', 'tkt9', '--state-dir', stateDir];
    expect(await runTeardownCommand(argv, output, hostFor)).toBe(1);
    expect(output.io.err).toBe(
      'tkube-cni-bridge: the teardown of bridge tkt9 failed: bridge tkt9 holds 10.244.9.1/24, outside the recorded ' +
        'pod CIDR 10.244.8.0/24: it belongs to another network; nothing was removed\n',
    );
    expect(host.hostNetworkUp).toBe(true);

    await writeFile(join(stateDir, 'networks', 'tkt9', 'node-pod-cidr'), '10.244.9.0/24\n');
    expect(await runTeardownCommand(argv, recordingIo(), hostFor)).toBe(0);
    expect(host.hostNetworkUp).toBe(false);
    await expect(readdir(join(stateDir, 'networks'))).resolves.toEqual([]);
  });

  it('exits 2 with the usage for bad flags, touching nothing', async () => {
    const output = recordingIo();
    expect(await runTeardownCommand(['--teardown', '--pod-cidr', '10.244.9.0/24'], output, hostFor)).toBe(2);
    expect(output.io.err).toMatch(/^tkube-cni-bridge: --teardown needs --bridge\n\nUsage:/);
    expect(host.hostNetworkUp).toBe(true);
  });
});
