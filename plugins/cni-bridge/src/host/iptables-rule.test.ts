import { describe, expect, it } from 'vitest';
import { commentOf, splitRuleLine, targetOf } from './iptables-rule.js';

describe('splitRuleLine', () => {
  it('gives back the arguments of a bare rule', () => {
    const line =
      '-A TKUBE-MASQ-tkube0 -s 10.244.1.2/32 ! -d 10.244.0.0/16 -m comment --comment tkube-cni:abc:eth0 -j MASQUERADE';
    const args = splitRuleLine(line);
    expect(args).toEqual([
      '-A',
      'TKUBE-MASQ-tkube0',
      '-s',
      '10.244.1.2/32',
      '!',
      '-d',
      '10.244.0.0/16',
      '-m',
      'comment',
      '--comment',
      'tkube-cni:abc:eth0',
      '-j',
      'MASQUERADE',
    ]);
    expect(commentOf(args)).toBe('tkube-cni:abc:eth0');
  });

  it('unquotes values the way iptables-nft prints them', () => {
    const args = splitRuleLine('-A FORWARD -m comment --comment "kube proxy \\"x\\"" -j ACCEPT');
    expect(commentOf(args)).toBe('kube proxy "x"');
    expect(args.at(-1)).toBe('ACCEPT');
  });

  it('has no comment when the rule has none', () => {
    expect(commentOf(splitRuleLine('-A FORWARD -i docker0 -j ACCEPT'))).toBeUndefined();
  });
});

describe('targetOf', () => {
  it('answers the chain a rule jumps to', () => {
    expect(targetOf(splitRuleLine('-A FORWARD -i tkt1 -j TKUBE-FWD-tkt1'))).toBe('TKUBE-FWD-tkt1');
    expect(targetOf(splitRuleLine('-A FORWARD -i tkt1 -g SOMEWHERE'))).toBeUndefined();
  });
});
