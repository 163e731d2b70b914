import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { base32, chainNames, endpointChain, instanceTag, MAX_CHAIN_NAME, serviceChain } from './chain-names.js';

describe('base32', () => {
  it('encodes as RFC 4648 does (test vectors, padding dropped)', () => {
    const enc = (s: string) => base32(Buffer.from(s));
    expect(enc('')).toBe('');
    expect(enc('f')).toBe('MY');
    expect(enc('fo')).toBe('MZXQ');
    expect(enc('foo')).toBe('MZXW6');
    expect(enc('foob')).toBe('MZXW6YQ');
    expect(enc('fooba')).toBe('MZXW6YTB');
    expect(enc('foobar')).toBe('MZXW6YTBOI');
  });

  it('encodes a whole sha256 into 52 characters', () => {
    expect(base32(createHash('sha256').update('x').digest())).toMatch(/^[A-Z2-7]{52}$/);
  });
});

describe('chain names', () => {
  const tags = ['node-a', 'node-b', 'cluster1/node-a', 'cluster2/node-a'].map(instanceTag);

  it('derive a 5-character tag that differs per instance and is stable', () => {
    for (const tag of tags) expect(tag).toMatch(/^[A-Z2-7]{5}$/);
    expect(new Set(tags).size).toBe(tags.length);
    expect(instanceTag('node-a')).toBe(tags[0]);
  });

  it('stay within 28 characters and carry the tag', () => {
    for (const tag of tags) {
      const names = [
        ...Object.values(chainNames(tag)).filter((n) => !n.endsWith('-')),
        serviceChain(tag, 'a-very-long-namespace-name/a-very-long-service-name:http-alternate', 'TCP'),
        endpointChain(tag, 'ns/svc:http', 'UDP', '10.244.255.254:65535'),
      ];
      for (const name of names) {
        expect(name.length).toBeLessThanOrEqual(MAX_CHAIN_NAME);
        expect(name.startsWith(`TKP${tag}-`)).toBe(true);
      }
    }
  });

  it('name a chain per service port and per endpoint, different per instance', () => {
    const [a = '', b = ''] = tags;
    expect(serviceChain(a, 'ns/web:http', 'TCP')).not.toBe(serviceChain(a, 'ns/web:http', 'UDP'));
    expect(serviceChain(a, 'ns/web:http', 'TCP')).not.toBe(serviceChain(a, 'ns/web:https', 'TCP'));
    expect(serviceChain(a, 'ns/web:http', 'TCP')).not.toBe(serviceChain(b, 'ns/web:http', 'TCP'));
    expect(endpointChain(a, 'ns/web:http', 'TCP', '10.244.1.2:80')).not.toBe(
      endpointChain(a, 'ns/web:http', 'TCP', '10.244.1.3:80'),
    );
    expect(serviceChain(a, 'ns/web:http', 'TCP')).toMatch(/^TKP[A-Z2-7]{5}-SVC-[A-Z2-7]{13}$/);
  });
});
