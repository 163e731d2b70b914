import { describe, expect, it } from 'vitest';
import { attachmentComment, attachmentOfComment, hostVethName, masqueradeChain, randomMac } from './names.js';

describe('hostVethName', () => {
  it('is stable per attachment, distinct across attachments, and fits IFNAMSIZ', () => {
    const id = 'f'.repeat(64);
    expect(hostVethName(id, 'eth0')).toBe(hostVethName(id, 'eth0'));
    expect(hostVethName(id, 'eth0')).not.toBe(hostVethName(id, 'eth1'));
    expect(hostVethName(id, 'eth0')).not.toBe(hostVethName('e'.repeat(64), 'eth0'));
    expect(hostVethName(id, 'eth0')).toMatch(/^veth[0-9a-f]{8}$/);
  });
});

describe('attachment comments', () => {
  it('round-trip the attachment they name', () => {
    expect(attachmentOfComment(attachmentComment('abc.def-1', 'eth0'))).toEqual({
      containerId: 'abc.def-1',
      ifname: 'eth0',
    });
  });

  it('ignore comments that are not the plugin own', () => {
    expect(attachmentOfComment('kube-proxy rule')).toBeUndefined();
    expect(attachmentOfComment('tkube-cni:')).toBeUndefined();
    expect(attachmentOfComment('tkube-cni:abc:')).toBeUndefined();
  });
});

describe('chain names', () => {
  it('stay within the 28 characters iptables allows for the longest bridge name', () => {
    expect(masqueradeChain('a'.repeat(15)).length).toBeLessThanOrEqual(28);
  });
});

describe('randomMac', () => {
  it('makes unicast, locally administered addresses', () => {
    for (let i = 0; i < 50; i++) {
      const mac = randomMac();
      expect(mac).toMatch(/^([0-9a-f]{2}:){5}[0-9a-f]{2}$/);
      const first = Number.parseInt(mac.slice(0, 2), 16);
      expect(first & 1).toBe(0);
      expect(first & 2).toBe(2);
    }
  });
});
