import { describe, expect, it } from 'vitest';
import { findDuplicateKeys } from './json-duplicates.js';

describe('findDuplicateKeys', () => {
  it('finds repeated keys with their paths, inside objects and lists', () => {
    const text = '{"a":1,"spec":{"replicas":1,"replicas":2,"list":[{"x":1},{"x":1,"x":2}]},"a":"again"}';
    expect(findDuplicateKeys(text)).toEqual(['spec.replicas', 'spec.list[1].x', 'a']);
  });

  it('is not fooled by keys inside strings or escaped quotes', () => {
    expect(findDuplicateKeys('{"a":"\\"a\\":1","b":{"a":1},"c":["a","a"]}')).toEqual([]);
    expect(findDuplicateKeys('{"a\\"b":1,"a\\"b":2}')).toEqual(['a"b']);
  });

  it('copes with whitespace, empty containers and scalars', () => {
    expect(findDuplicateKeys(' { "a" : [ ] , "b" : { } , "c" : null , "c" : true } ')).toEqual(['c']);
    expect(findDuplicateKeys('42')).toEqual([]);
  });

  it('refuses absurd nesting with a 400 rather than overflowing the stack', () => {
    expect(() => findDuplicateKeys(`${'['.repeat(5000)}${']'.repeat(5000)}`)).toThrow(/nested more than/);
  });
});
