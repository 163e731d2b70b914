import { describe, expect, it } from 'vitest';
import {
  deleteOptions,
  fieldValidation,
  listOptions,
  watchOptions,
  watchTimeoutSeconds,
  writeOptions,
} from './query-options.js';

const q = (text: string) => new URLSearchParams(text);

describe('query options', () => {
  it('reads list options and refuses nonsense', () => {
    expect(listOptions(q('labelSelector=app%3Dweb&limit=500&continue=abc&resourceVersion=0'))).toEqual({
      labelSelector: 'app=web',
      limit: 500,
      continue: 'abc',
      resourceVersion: '0',
    });
    expect(() => listOptions(q('limit=ten'))).toThrow(/limit/);
    expect(() => listOptions(q('resourceVersionMatch=Exact'))).toThrow(/resourceVersionMatch is forbidden/);
    expect(() => listOptions(q('resourceVersionMatch=Sometimes&resourceVersion=5'))).toThrow(/Unsupported value/);
  });

  it('reads watch options and the timeout', () => {
    expect(watchOptions(q('resourceVersion=12&allowWatchBookmarks=true&fieldSelector=metadata.name%3Dx'))).toEqual({
      resourceVersion: '12',
      allowWatchBookmarks: true,
      fieldSelector: 'metadata.name=x',
    });
    expect(watchTimeoutSeconds(q('timeoutSeconds=5'))).toBe(5);
    expect(watchTimeoutSeconds(q(''), () => 0.5)).toBe(2700);
    expect(() => watchOptions(q('sendInitialEvents=true'))).toThrow(/WatchList/);
  });

  it('reads write options, with the user agent as default field manager', () => {
    expect(writeOptions(q('dryRun=All&fieldManager=me'), 'kubectl/v1.35')).toEqual({
      dryRun: true,
      fieldManager: 'me',
    });
    expect(writeOptions(q(''), 'kubectl/v1.35.2 (linux/amd64)')).toEqual({ fieldManager: 'kubectl' });
    expect(() => writeOptions(q('dryRun=Some'), undefined)).toThrow(/supported values: "All"/);
    expect(fieldValidation(q(''))).toBe('Warn');
    expect(fieldValidation(q('fieldValidation=Strict'))).toBe('Strict');
    expect(() => fieldValidation(q('fieldValidation=strict'))).toThrow();
  });

  it('merges delete options from the body with the query', () => {
    expect(deleteOptions(q('gracePeriodSeconds=0&dryRun=All'), { propagationPolicy: 'Foreground' })).toEqual({
      propagationPolicy: 'Foreground',
      gracePeriodSeconds: 0,
      dryRun: ['All'],
    });
    expect(deleteOptions(q('propagationPolicy=Background'), undefined)).toEqual({ propagationPolicy: 'Background' });
    expect(() => deleteOptions(q(''), { propagationPolicy: 'Never' })).toThrow(/propagationPolicy/);
    expect(() => deleteOptions(q(''), [1])).toThrow(/must be an object/);
  });
});
