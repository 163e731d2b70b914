import { describe, expect, it } from 'vitest';
import { Queue } from './queue.js';

describe('Queue', () => {
  it('hands out items in order, each once however often it was added', async () => {
    const queue = new Queue<string>();
    queue.add('a');
    queue.add('b');
    queue.add('a');
    expect(queue.len()).toBe(2);
    expect(await queue.get()).toBe('a');
    expect(await queue.get()).toBe('b');
    expect(queue.len()).toBe(0);
  });

  it('never gives an item in process to a second worker, and requeues it when done', async () => {
    const queue = new Queue<string>();
    queue.add('a');
    const first = await queue.get();
    expect(first).toBe('a');

    queue.add('a');
    queue.add('a');
    expect(queue.len()).toBe(0);
    let second: string | undefined;
    void queue.get().then((item) => {
      second = item;
    });
    await Promise.resolve();
    expect(second).toBeUndefined();

    queue.done('a');
    await Promise.resolve();
    expect(second).toBe('a');
    expect(queue.len()).toBe(0);
  });

  it('does not requeue an item done without being re-added', async () => {
    const queue = new Queue<string>();
    queue.add('a');
    queue.done((await queue.get()) as string);
    expect(queue.len()).toBe(0);
  });

  it('wakes a waiting worker when an item arrives', async () => {
    const queue = new Queue<string>();
    const waiting = queue.get();
    queue.add('x');
    expect(await waiting).toBe('x');
  });

  it('drains what is queued after shutDown, then answers undefined, and ignores new items', async () => {
    const queue = new Queue<string>();
    queue.add('a');
    queue.shutDown();
    queue.add('b');
    expect(queue.shuttingDown()).toBe(true);
    expect(await queue.get()).toBe('a');
    expect(await queue.get()).toBeUndefined();
  });

  it('releases waiting workers on shutDown', async () => {
    const queue = new Queue<string>();
    const waiters = [queue.get(), queue.get()];
    queue.shutDown();
    expect(await Promise.all(waiters)).toEqual([undefined, undefined]);
  });

  it('with several workers, processes each key once at a time', async () => {
    const queue = new Queue<string>();
    const inProcess = new Set<string>();
    const processed: string[] = [];
    let overlap = false;
    const worker = async () => {
      for (;;) {
        const key = await queue.get();
        if (key === undefined) return;
        if (inProcess.has(key)) overlap = true;
        inProcess.add(key);
        await new Promise((r) => setTimeout(r, 1));
        if (key === 'k1' && processed.length < 3) queue.add('k1');
        processed.push(key);
        inProcess.delete(key);
        queue.done(key);
      }
    };
    const workers = [worker(), worker(), worker()];
    for (const key of ['k1', 'k2', 'k1', 'k3', 'k1']) queue.add(key);
    while (queue.len() > 0 || inProcess.size > 0) await new Promise((r) => setTimeout(r, 2));
    queue.shutDown();
    await Promise.all(workers);
    expect(overlap).toBe(false);
    expect(processed.filter((k) => k === 'k2')).toHaveLength(1);
    expect(processed.filter((k) => k === 'k1').length).toBeGreaterThanOrEqual(2);
  });
});
