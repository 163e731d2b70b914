import { RESOURCES } from '@tkube/api';
import { describe, expect, it } from 'vitest';
import { escapeToken, parseStorageKey, storageKey, storagePrefix, unescapeToken } from './keys.js';

const pods = { group: '', resource: 'pods' };
const deployments = { group: 'apps', resource: 'deployments' };
const storageClasses = { group: 'storage.k8s.io', resource: 'storageclasses' };
const roles = { group: 'rbac.authorization.k8s.io', resource: 'clusterroles' };

/** What NATS KV accepts as a key. */
const VALID_KV_KEY = /^[-/=.\w]+$/;

describe('storageKey', () => {
  it('names group, resource, namespace and object in five tokens', () => {
    expect(storageKey(pods, 'default', 'web-1')).toBe('r.core.pods.default.web-1');
    expect(storageKey(deployments, 'kube-system', 'coredns')).toBe('r.apps.deployments.kube-system.coredns');
    expect(storageKey(storageClasses, undefined, 'standard')).toBe('r.storage/2ek8s/2eio.storageclasses._.standard');
  });

  it('keeps dots and colons inside their token', () => {
    const key = storageKey(roles, undefined, 'system:controller:node.x');
    expect(key.split('.')).toHaveLength(5);
    expect(key).toMatch(VALID_KV_KEY);
    expect(parseStorageKey(key)).toEqual({
      group: 'rbac.authorization.k8s.io',
      resource: 'clusterroles',
      name: 'system:controller:node.x',
    });
  });

  it('never lets two different names collide', () => {
    const names = ['a.b', 'a-b', 'a_b', 'a/b', 'a/2eb', 'a_2eb', 'A.b', 'a..b', '_', 'a b', 'ü', '.', '..'];
    const keys = names.map((name) => storageKey(pods, 'default', name));
    expect(new Set(keys).size).toBe(names.length);
    for (const key of keys) expect(key).toMatch(VALID_KV_KEY);
  });

  it('round-trips every served resource, namespaced or not', () => {
    for (const info of RESOURCES) {
      const namespace = info.namespaced ? 'team.a' : undefined;
      const key = storageKey(info, namespace, 'my.object:1');
      const parsed = parseStorageKey(key);
      expect(parsed?.group).toBe(info.group);
      expect(parsed?.resource).toBe(info.resource);
      expect(parsed?.namespace).toBe(namespace);
      expect(parsed?.name).toBe('my.object:1');
    }
  });

  it('sorts DNS names in the order of the names', () => {
    const names = ['a', 'a-b', 'a.b', 'a0', 'ab', 'b'];
    const keys = names.map((name) => storageKey(pods, 'ns', name));
    expect([...keys].sort()).toEqual(keys);
  });

  it('rejects an empty name', () => {
    expect(() => storageKey(pods, 'default', '')).toThrow();
  });
});

describe('storagePrefix', () => {
  const keys = [
    storageKey(pods, 'default', 'a'),
    storageKey(pods, 'default-2', 'b'),
    storageKey(pods, 'other', 'default.c'),
    storageKey({ group: '', resource: 'podtemplates' }, 'default', 'd'),
    storageKey({ group: 'core.example.com', resource: 'pods' }, 'default', 'e'),
  ];
  const selected = (prefix: string) => keys.filter((key) => key.startsWith(prefix));

  it('selects every namespace of one resource and nothing else', () => {
    expect(selected(storagePrefix(pods))).toEqual(keys.slice(0, 3));
  });

  it('selects exactly one namespace', () => {
    expect(selected(storagePrefix(pods, 'default'))).toEqual([keys[0]]);
  });

  it('selects cluster-scoped objects with the empty namespace', () => {
    const key = storageKey(storageClasses, undefined, 'fast');
    expect(key.startsWith(storagePrefix(storageClasses, ''))).toBe(true);
    expect(key.startsWith(storagePrefix(storageClasses))).toBe(true);
  });
});

describe('token escaping', () => {
  it('leaves lower-case DNS labels alone', () => {
    expect(escapeToken('kube-system')).toBe('kube-system');
  });

  it('escapes each UTF-8 byte of other characters', () => {
    expect(escapeToken('A.b:ü')).toBe('/41/2eb/3a/c3/bc');
    expect(unescapeToken('/41/2eb/3a/c3/bc')).toBe('A.b:ü');
  });

  it('rejects tokens that no name escapes to', () => {
    expect(unescapeToken('')).toBeUndefined();
    expect(unescapeToken('a/2')).toBeUndefined();
    expect(unescapeToken('/61')).toBeUndefined(); // "a" must stay plain
    expect(unescapeToken('A')).toBeUndefined();
    expect(parseStorageKey('r.core.pods.default')).toBeUndefined();
    expect(parseStorageKey('x.core.pods.default.a')).toBeUndefined();
  });
});
