import { CniErrorCode, NetworkPluginError } from '@tkube/api/cni';
import { describe, expect, it } from 'vitest';
import { negotiateCniVersion } from './cni-version.js';
import { validateArgs, validateContainerId, validateInterfaceName, validateNetnsPath } from './validation.js';

function cniCodeOf(action: () => void): number | undefined {
  try {
    action();
    return undefined;
  } catch (error) {
    return error instanceof NetworkPluginError ? error.code : -1;
  }
}

describe('validateContainerId', () => {
  it('accepts Docker ids and the CNI alphabet', () => {
    for (const id of ['0123456789abcdef'.repeat(4), 'pod_a.b-c', 'A']) {
      expect(() => validateContainerId(id)).not.toThrow();
    }
  });

  it('refuses empty ids, option-like ids and anything a path or comment could abuse', () => {
    for (const id of ['', '-j', '.hidden', 'a/b', '../x', 'a b', 'a"b', 'a:b', 'a\nb', 'x'.repeat(201)]) {
      expect(
        cniCodeOf(() => validateContainerId(id)),
        JSON.stringify(id),
      ).toBe(CniErrorCode.InvalidArguments);
    }
  });
});

describe('validateInterfaceName', () => {
  it('accepts eth0 and 15-byte names', () => {
    expect(() => validateInterfaceName('eth0')).not.toThrow();
    expect(() => validateInterfaceName('a'.repeat(15))).not.toThrow();
  });

  it('refuses names ip would misread or the kernel would refuse', () => {
    for (const name of ['', '-force', 'a'.repeat(16), 'eth0:1', 'eth 0', 'eth/0', '.', '..', 'dev\t']) {
      expect(
        cniCodeOf(() => validateInterfaceName(name)),
        JSON.stringify(name),
      ).toBe(CniErrorCode.InvalidArguments);
    }
  });
});

describe('validateNetnsPath', () => {
  it('accepts the paths runtimes hand out', () => {
    for (const path of ['/proc/4242/ns/net', '/var/run/netns/cni-1234-abcd', '/run/netns/tkube-test-x']) {
      expect(() => validateNetnsPath(path)).not.toThrow();
    }
  });

  it('refuses relative paths, dot segments and odd characters', () => {
    for (const path of ['', 'proc/1/ns/net', '/var/run/../../etc', '/./x', '/a b', '/a//b', '-n', '/x;y']) {
      expect(
        cniCodeOf(() => validateNetnsPath(path)),
        JSON.stringify(path),
      ).toBe(CniErrorCode.InvalidArguments);
    }
  });
});

describe('validateArgs', () => {
  it('accepts the Kubernetes pod args', () => {
    expect(() =>
      validateArgs({ K8S_POD_NAMESPACE: 'default', K8S_POD_NAME: 'web-0', K8S_POD_UID: 'f00-ba4' }),
    ).not.toThrow();
  });

  it('refuses odd keys and oversized values', () => {
    expect(cniCodeOf(() => validateArgs({ 'A=B': 'x' }))).toBe(CniErrorCode.InvalidArguments);
    expect(cniCodeOf(() => validateArgs({ K: 'x'.repeat(2000) }))).toBe(CniErrorCode.InvalidArguments);
  });
});

describe('negotiateCniVersion', () => {
  it('answers in the caller version, or the newest when none is named', () => {
    expect(negotiateCniVersion('1.0.0')).toBe('1.0.0');
    expect(negotiateCniVersion('')).toBe('1.1.0');
  });

  it('refuses versions it does not speak with CNI error 1', () => {
    expect(cniCodeOf(() => negotiateCniVersion('0.4.0'))).toBe(CniErrorCode.IncompatibleVersion);
  });
});
