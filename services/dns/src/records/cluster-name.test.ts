import { describe, expect, it } from 'vitest';
import { parseClusterName } from './cluster-name.js';

const parse = (name: string) => parseClusterName(name === '' ? [] : name.split('.'));

describe('parseClusterName', () => {
  it.each([
    ['', { kind: 'apex' }],
    ['dns-version', { kind: 'dns-version' }],
    ['ns.dns', { kind: 'nameserver' }],
    ['svc', { kind: 'branch' }],
    ['default.svc', { kind: 'namespace', namespace: 'default' }],
    ['web.default.svc', { kind: 'service', namespace: 'default', service: 'web' }],
    ['web-0.web.default.svc', { kind: 'endpoint', namespace: 'default', service: 'web', hostname: 'web-0' }],
    ['_tcp.web.default.svc', { kind: 'protocol', namespace: 'default', service: 'web', protocol: 'tcp' }],
    [
      '_http._tcp.web.default.svc',
      { kind: 'srv', namespace: 'default', service: 'web', port: 'http', protocol: 'tcp' },
    ],
    ['pod', { kind: 'branch' }],
    ['default.pod', { kind: 'pod-namespace', namespace: 'default' }],
    ['10-244-0-5.default.pod', { kind: 'pod', namespace: 'default', dashedIp: '10-244-0-5' }],
  ])('reads "%s"', (name, expected) => {
    expect(parse(name)).toEqual(expected);
  });

  it.each([
    'www',
    'a.b.web.default.svc',
    'x._tcp.web.default.svc',
    '_http.x.web.default.svc',
    'a.b.default.pod',
    'x.dns-version',
  ])('finds no such name in "%s"', (name) => {
    expect(parse(name)).toEqual({ kind: 'none' });
  });
});
