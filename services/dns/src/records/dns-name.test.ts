import { describe, expect, it } from 'vitest';
import { canonicalName, ipv4FromDashed, ipv4FromReverseName, labelsUnder, reverseNameOf } from './dns-name.js';

describe('DNS names', () => {
  it('compare without case and without the final dot', () => {
    expect(canonicalName('Web.Default.SVC.Cluster.Local.')).toBe('web.default.svc.cluster.local');
  });

  it('split into the labels in front of a zone, only on a label boundary', () => {
    expect(labelsUnder('web.default.svc.cluster.local', 'cluster.local')).toEqual(['web', 'default', 'svc']);
    expect(labelsUnder('cluster.local', 'cluster.local')).toEqual([]);
    expect(labelsUnder('notcluster.local', 'cluster.local')).toBeUndefined();
    expect(labelsUnder('example.com', 'cluster.local')).toBeUndefined();
  });

  it('read dashed addresses', () => {
    expect(ipv4FromDashed('10-244-0-5')).toBe('10.244.0.5');
    expect(ipv4FromDashed('10-244-0')).toBeUndefined();
    expect(ipv4FromDashed('10-244-0-256')).toBeUndefined();
    expect(ipv4FromDashed('web-1')).toBeUndefined();
  });

  it('write and read IPv4 reverse names', () => {
    expect(reverseNameOf('10.96.0.1')).toBe('1.0.96.10.in-addr.arpa');
    expect(ipv4FromReverseName('1.0.96.10.in-addr.arpa')).toBe('10.96.0.1');
    expect(ipv4FromReverseName('0.96.10.in-addr.arpa')).toBeUndefined();
    expect(ipv4FromReverseName('1.0.96.10.example.com')).toBeUndefined();
  });
});
