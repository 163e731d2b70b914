import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { runCleanup } from './cleanup.js';
import { LINK_ALIAS } from './host/dns-interface.js';
import type { IpCommand } from './host/ip-command.js';
import { IpCommandError } from './host/ip-command.js';

function host(links: Map<string, string | undefined>) {
  const out: string[] = [];
  const ip: IpCommand = {
    run: async (args) => {
      const name = args.at(-1) ?? '';
      if (!links.has(name)) throw new IpCommandError(args, `Device "${name}" does not exist.`);
      if (args[0] === '-j') return JSON.stringify([{ ifname: name, ifalias: links.get(name) }]);
      if (args[1] === 'del') links.delete(name);
      return '';
    },
  };
  return {
    out,
    host: {
      writeOut: (text: string) => out.push(text),
      writeErr: (text: string) => out.push(text),
      logger: () => pino({ level: 'silent' }),
      ip,
    },
  };
}

describe('runCleanup', () => {
  it('removes the link and exits 0, also when it is already gone', async () => {
    const links = new Map([['tkdns0', LINK_ALIAS]]);
    const { host: h } = host(links);
    expect(await runCleanup(['--cleanup', '--interface', 'tkdns0'], h)).toBe(0);
    expect(links.has('tkdns0')).toBe(false);
    expect(await runCleanup(['--cleanup', '--interface', 'tkdns0'], h)).toBe(0);
  });

  it('exits 1 for a link it did not make, and 2 without --interface', async () => {
    const links = new Map<string, string | undefined>([['eth0', undefined]]);
    const { host: h, out } = host(links);
    expect(await runCleanup(['--cleanup', '--interface', 'eth0'], h)).toBe(1);
    expect(links.has('eth0')).toBe(true);
    expect(await runCleanup(['--cleanup'], h)).toBe(2);
    expect(out.join('')).toMatch(/--cleanup needs --interface/);
  });
});
