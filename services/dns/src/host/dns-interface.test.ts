import { describe, expect, it } from 'vitest';
import { ensureDnsInterface, InterfaceSetupError, LINK_ALIAS, removeDnsInterface } from './dns-interface.js';
import { type IpCommand, IpCommandError } from './ip-command.js';

/** A host with links, answering `ip` as iproute2 does for the commands the setup uses. */
class FakeIp implements IpCommand {
  readonly calls: string[] = [];
  readonly links = new Map<string, { kind: string; alias?: string; addresses: string[]; up: boolean }>();
  constructor(private readonly supportedKinds: readonly string[] = ['dummy', 'bridge']) {}

  async run(args: readonly string[]): Promise<string> {
    this.calls.push(args.join(' '));
    const fail = (stderr: string) => {
      throw new IpCommandError(args, stderr);
    };
    const [a0, a1, a2, a3, a4, a5] = args;
    if (a0 === '-j') {
      const name = args[5] ?? '';
      const link = this.links.get(name);
      if (!link) fail(`Device "${name}" does not exist.`);
      return JSON.stringify([{ ifname: name, ifalias: link?.alias, linkinfo: { info_kind: link?.kind } }]);
    }
    if (a0 === 'link' && a1 === 'add') {
      if (!this.supportedKinds.includes(a4 ?? '')) fail('Error: Unknown device type.');
      this.links.set(a2 ?? '', { kind: a4 ?? '', addresses: [], up: false });
      return '';
    }
    const link = this.links.get(a0 === 'addr' ? (a4 ?? '') : (a3 ?? ''));
    if (!link) return fail('Cannot find device');
    if (a0 === 'link' && a1 === 'set' && a4 === 'alias') link.alias = a5;
    else if (a0 === 'link' && a1 === 'set' && a4 === 'up') link.up = true;
    else if (a0 === 'addr' && a1 === 'replace' && !link.addresses.includes(a2 ?? '')) link.addresses.push(a2 ?? '');
    else if (a0 === 'link' && a1 === 'del') this.links.delete(a3 ?? '');
    return '';
  }
}

describe('ensureDnsInterface', () => {
  it('creates a dummy link with the address as a /32, up and marked as ours', async () => {
    const ip = new FakeIp();
    expect(await ensureDnsInterface(ip, 'tkdns0', '10.96.0.10')).toEqual({ created: true });
    expect(ip.links.get('tkdns0')).toEqual({
      kind: 'dummy',
      alias: LINK_ALIAS,
      addresses: ['10.96.0.10/32'],
      up: true,
    });
  });

  it('falls back to an empty bridge where the kernel has no dummy links', async () => {
    const ip = new FakeIp(['bridge']);
    await ensureDnsInterface(ip, 'tkdns0', '10.96.0.10');
    expect(ip.links.get('tkdns0')?.kind).toBe('bridge');
  });

  it('is safe to repeat', async () => {
    const ip = new FakeIp();
    await ensureDnsInterface(ip, 'tkdns0', '10.96.0.10');
    expect(await ensureDnsInterface(ip, 'tkdns0', '10.96.0.10')).toEqual({ created: false });
    expect(ip.links.get('tkdns0')?.addresses).toEqual(['10.96.0.10/32']);
  });

  it('refuses a link someone else made', async () => {
    const ip = new FakeIp();
    ip.links.set('eth0', { kind: 'veth', addresses: [], up: true });
    await expect(ensureDnsInterface(ip, 'eth0', '10.96.0.10')).rejects.toThrow(InterfaceSetupError);
    expect(ip.links.get('eth0')?.addresses).toEqual([]);
  });

  it('says why when no kind of link can be made', async () => {
    await expect(ensureDnsInterface(new FakeIp([]), 'tkdns0', '10.96.0.10')).rejects.toThrow(
      /could not create the link tkdns0 \(dummy: .*Unknown device type.*; bridge: /,
    );
  });
});

describe('removeDnsInterface', () => {
  it('removes its own link, and is fine when it is gone', async () => {
    const ip = new FakeIp();
    await ensureDnsInterface(ip, 'tkdns0', '10.96.0.10');
    expect(await removeDnsInterface(ip, 'tkdns0')).toBe('removed');
    expect(ip.links.has('tkdns0')).toBe(false);
    expect(await removeDnsInterface(ip, 'tkdns0')).toBe('absent');
  });

  it('leaves alone a link it did not make', async () => {
    const ip = new FakeIp();
    ip.links.set('tkube0', { kind: 'bridge', addresses: [], up: true });
    await expect(removeDnsInterface(ip, 'tkube0')).rejects.toThrow(/not made by tkube-dns/);
    expect(ip.links.has('tkube0')).toBe(true);
  });
});
