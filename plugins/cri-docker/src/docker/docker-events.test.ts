import { describe, expect, it } from 'vitest';
import { LineSplitter, parseDockerEvent, sinceSecondsOf } from './docker-events.js';

// A `die` event as Docker 20.10 writes it on GET /events.
const DIE =
  '{"status":"die","id":"4f2a","from":"busybox:1.35","Type":"container","Action":"die",' +
  '"Actor":{"ID":"4f2a","Attributes":{"exitCode":"137","image":"busybox:1.35","name":"k8s_main",' +
  '"io.kubernetes.pod.uid":"u1","io.kubernetes.sandbox.id":"9c1e"}},"scope":"local",' +
  '"time":1714557605,"timeNano":1714557605123456789}';

describe('parseDockerEvent', () => {
  it('reads a container event: action, id, labels among the attributes, exact time', () => {
    expect(parseDockerEvent(DIE)).toEqual({
      action: 'die',
      id: '4f2a',
      attributes: {
        exitCode: '137',
        image: 'busybox:1.35',
        name: 'k8s_main',
        'io.kubernetes.pod.uid': 'u1',
        'io.kubernetes.sandbox.id': '9c1e',
      },
      timeNanos: 1714557605123456789n,
    });
  });

  it('skips other objects, other actions and text that is not JSON', () => {
    expect(parseDockerEvent(DIE.replace('"Type":"container"', '"Type":"network"'))).toBeUndefined();
    expect(parseDockerEvent(DIE.replaceAll('"die"', '"kill"'))).toBeUndefined();
    expect(parseDockerEvent('{"status":')).toBeUndefined();
  });
});

describe('LineSplitter', () => {
  it('gives whole lines only, whatever the chunks', () => {
    const lines = new LineSplitter();
    expect(lines.push('{"a":1}\n{"b"')).toEqual(['{"a":1}']);
    expect(lines.push(':2}\n\n')).toEqual(['{"b":2}']);
    expect(lines.push('{"c":3}\n{"d":4}\n')).toEqual(['{"c":3}', '{"d":4}']);
  });
});

describe('sinceSecondsOf', () => {
  it('rounds down to the millisecond, so a replay repeats rather than skips', () => {
    expect(sinceSecondsOf(1714557605123456789n)).toBe(1714557605.123);
  });
});
