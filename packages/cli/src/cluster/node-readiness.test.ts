import { describe, expect, it } from 'vitest';
import { unreadyNodes } from './node-readiness.js';

const startedAt = new Date('2025-06-01T10:00:00.400Z');

function node(name: string, ready?: Record<string, string>) {
  return {
    metadata: { name },
    status: { conditions: ready ? [{ type: 'MemoryPressure', status: 'False' }, ready] : [] },
  };
}

describe('unreadyNodes', () => {
  it('is empty when every node has Ready=True from its current kubelet', () => {
    const list = {
      items: [
        node('a', { type: 'Ready', status: 'True', lastHeartbeatTime: '2025-06-01T10:00:00Z' }),
        node('b', { type: 'Ready', status: 'True', lastHeartbeatTime: '2025-06-01T10:00:03Z' }),
      ],
    };
    expect(
      unreadyNodes(list, [
        { name: 'a', kubeletStartedAt: startedAt },
        { name: 'b', kubeletStartedAt: startedAt },
      ]),
    ).toEqual([]);
  });

  it('says why each other node is not Ready', () => {
    const list = {
      items: [
        node('old', { type: 'Ready', status: 'True', lastHeartbeatTime: '2025-06-01T09:59:59Z' }),
        node('down', { type: 'Ready', status: 'False', reason: 'KubeletNotReady', message: 'runtime is down' }),
        node('new'),
      ],
    };
    const expected = ['old', 'down', 'new', 'missing'].map((name) => ({ name, kubeletStartedAt: startedAt }));
    expect(unreadyNodes(list, expected)).toEqual([
      { name: 'old', why: 'Ready=True is from before its kubelet started' },
      { name: 'down', why: 'Ready=False (KubeletNotReady: runtime is down)' },
      { name: 'new', why: 'no Ready condition yet' },
      { name: 'missing', why: 'not registered' },
    ]);
  });

  it('treats an answer without items as no node registered', () => {
    expect(unreadyNodes({ kind: 'Status' }, [{ name: 'a', kubeletStartedAt: startedAt }])).toEqual([
      { name: 'a', why: 'not registered' },
    ]);
  });
});
