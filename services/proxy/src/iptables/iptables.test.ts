import { describe, expect, it } from 'vitest';
import { cleanupInstance } from '../cleanup.js';
import { instanceTag } from '../rules/chain-names.js';
import { FakeRunner } from '../testing/fake-host.js';
import { Iptables } from './iptables.js';

describe('Iptables', () => {
  it('reads nat and filter, and writes with one iptables-restore --noflush', async () => {
    const runner = new FakeRunner();
    runner.answer = (_command, args) => ({
      code: 0,
      stdout:
        args[1] === 'nat'
          ? '*nat\n:PREROUTING ACCEPT [0:0]\n:TKPX-A - [0:0]\nCOMMIT\n'
          : '*filter\n:INPUT ACCEPT [0:0]\nCOMMIT\n',
      stderr: '',
    });
    const iptables = new Iptables(runner);
    const saved = await iptables.save();
    expect(saved.nat?.chains).toEqual(['PREROUTING', 'TKPX-A']);
    expect(saved.filter?.chains).toEqual(['INPUT']);
    await iptables.restore('*nat\nCOMMIT\n');
    expect(runner.calls.map((c) => [c.command, ...c.args].join(' '))).toEqual([
      'iptables-save -t nat',
      'iptables-save -t filter',
      'iptables-restore --noflush',
    ]);
    expect(runner.calls[2]?.stdin).toBe('*nat\nCOMMIT\n');
  });

  it('reports a failed restore with its message', async () => {
    const runner = new FakeRunner();
    runner.answer = () => ({ code: 2, stdout: '', stderr: 'iptables-restore: line 7 failed\n' });
    await expect(new Iptables(runner).restore('x')).rejects.toThrow(
      'iptables-restore failed (exit 2): iptables-restore: line 7 failed',
    );
  });
});

describe('cleanupInstance', () => {
  it("removes the instance's chains and jumps in one restore, and does nothing when none is left", async () => {
    const prefix = `TKP${instanceTag('node-a')}-`;
    const runner = new FakeRunner();
    let tables = {
      nat: `*nat\n:PREROUTING ACCEPT [0:0]\n:${prefix}SERVICES - [0:0]\n:TKPOTHER-SERVICES - [0:0]\n-A PREROUTING -j ${prefix}SERVICES\n-A PREROUTING -j TKPOTHER-SERVICES\nCOMMIT\n`,
      filter: `*filter\n:INPUT ACCEPT [0:0]\n:${prefix}FIREWALL - [0:0]\n-A INPUT -j ${prefix}FIREWALL\nCOMMIT\n`,
    };
    runner.answer = (command, args) => ({
      code: 0,
      stdout: command === 'iptables-save' ? (args[1] === 'nat' ? tables.nat : tables.filter) : '',
      stderr: '',
    });
    const iptables = new Iptables(runner);
    expect(await cleanupInstance(iptables, 'node-a')).toBe(2);
    const restore = runner.calls.find((c) => c.command === 'iptables-restore')?.stdin ?? '';
    expect(restore).toContain(`-D PREROUTING -j ${prefix}SERVICES`);
    expect(restore).toContain(`-X ${prefix}SERVICES`);
    expect(restore).toContain(`-D INPUT -j ${prefix}FIREWALL`);
    expect(restore).not.toContain('TKPOTHER');

    tables = { nat: '*nat\n:PREROUTING ACCEPT [0:0]\nCOMMIT\n', filter: '*filter\nCOMMIT\n' };
    runner.calls.length = 0;
    expect(await cleanupInstance(iptables, 'node-a')).toBe(0);
    expect(runner.calls.some((c) => c.command === 'iptables-restore')).toBe(false);
  });
});
