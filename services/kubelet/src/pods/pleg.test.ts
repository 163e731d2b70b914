import type { Pod } from '@tkube/api';
import { type ContainerEventResponse, ContainerEventType, type ResponseStream } from '@tkube/api/cri';
import { FakeClock } from '@tkube/client';
import { afterEach, describe, expect, it } from 'vitest';
import { podLabels } from '../runtime/labels.js';
import { FakeRuntime } from '../testing/fake-runtime.js';
import { podHarness } from '../testing/pod-harness.js';
import { EVENTED_RELIST_PERIOD_MS, Pleg, RELIST_PERIOD_MS } from './pleg.js';

/** A GetContainerEvents stream the test feeds: events, a failure, or the end. */
class EventStream implements ResponseStream<ContainerEventResponse> {
  private readonly queued: ContainerEventResponse[] = [];
  private ended: { error?: unknown } | undefined;
  private wake: (() => void) | undefined;

  push(event: ContainerEventResponse): void {
    this.queued.push(event);
    this.wake?.();
  }

  fail(error: unknown): void {
    this.ended ??= { error };
    this.wake?.();
  }

  cancel(): void {
    this.fail(Object.assign(new Error('Cancelled on client'), { code: 1 }));
  }

  async *[Symbol.asyncIterator](): AsyncIterator<ContainerEventResponse> {
    for (;;) {
      const next = this.queued.shift();
      if (next) {
        yield next;
        continue;
      }
      if (this.ended) {
        if (this.ended.error !== undefined) throw this.ended.error;
        return;
      }
      await new Promise<void>((resolve) => {
        this.wake = resolve;
      });
    }
  }
}

/** The kubelet's fake runtime plus GetContainerEvents, and a count of listings. */
function runtimeWithEvents(runtime = new FakeRuntime(), open: () => EventStream = () => new EventStream()) {
  const streams: EventStream[] = [];
  let relists = 0;
  const listPodSandbox = runtime.listPodSandbox;
  runtime.listPodSandbox = (...args) => {
    relists++;
    return listPodSandbox(...args);
  };
  const withEvents = Object.assign(runtime, {
    getContainerEvents: (_request?: object, options?: { signal?: AbortSignal }) => {
      const stream = open();
      options?.signal?.addEventListener('abort', () => stream.cancel());
      streams.push(stream);
      return stream;
    },
  });
  return { runtime: withEvents, streams, relists: () => relists };
}

const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Moves the fake clock, then lets the relists it started finish (they reschedule when done). */
async function advance(clock: FakeClock, ms: number): Promise<void> {
  clock.step(ms);
  await settle();
  await settle();
}

const exited = (containerId: string, uid: string): ContainerEventResponse => ({
  containerId,
  containerEventType: ContainerEventType.CONTAINER_STOPPED_EVENT,
  createdAt: 1n,
  podSandboxStatus: {
    id: 'sandbox',
    metadata: { name: 'p', namespace: 'ns', uid, attempt: 0 },
    state: 0,
    createdAt: 0n,
    labels: {},
    annotations: {},
    runtimeHandler: '',
  },
  containersStatuses: [],
});

async function runningPod(runtime: FakeRuntime, uid: string) {
  const pod: Pod = { metadata: { name: 'p', namespace: 'ns', uid } };
  const { podSandboxId } = await runtime.runPodSandbox({ config: { metadata: { name: 'p' }, labels: podLabels(pod) } });
  const { containerId } = await runtime.createContainer({
    podSandboxId,
    config: { metadata: { name: 'c' }, labels: podLabels(pod) },
  });
  await runtime.startContainer({ containerId });
  return containerId;
}

describe('Pleg', () => {
  const plegs: Pleg[] = [];
  afterEach(() => {
    for (const pleg of plegs.splice(0)) pleg.stop();
  });
  const started = (pleg: Pleg) => {
    plegs.push(pleg);
    pleg.start();
    return pleg;
  };

  it('reports the pods whose containers changed state, appeared or went', async () => {
    const runtime = new FakeRuntime();
    const containerId = await runningPod(runtime, 'u1');
    const seen: string[] = [];
    const pleg = new Pleg(runtime, (uid) => seen.push(uid));
    expect([...(await pleg.relist())]).toEqual(['u1']);
    expect([...(await pleg.relist())]).toEqual([]);
    runtime.exit(containerId, 1);
    expect([...(await pleg.relist())]).toEqual(['u1']);
    await runtime.removeContainer({ containerId });
    expect([...(await pleg.relist())]).toEqual(['u1']);
    expect(seen).toEqual(['u1', 'u1', 'u1']);
  });

  it('wakes the pod of a container event at once, without waiting for the relist period', async () => {
    const clock = new FakeClock();
    const { runtime, streams, relists } = runtimeWithEvents();
    const seen: string[] = [];
    started(new Pleg(runtime, (uid) => seen.push(uid), undefined, { clock }));
    expect(streams).toHaveLength(1);

    streams[0]?.push(exited('c1', 'u1'));
    await settle();
    expect(seen).toEqual(['u1']);
    // Neither a relist nor any time was needed.
    expect(relists()).toBe(0);
    expect(clock.now()).toBe(0);
  });

  it('finds the pod by listing when an event does not say whose container it is', async () => {
    const clock = new FakeClock();
    const { runtime, streams } = runtimeWithEvents();
    const containerId = await runningPod(runtime, 'u1');
    const seen: string[] = [];
    const pleg = started(new Pleg(runtime, (uid) => seen.push(uid), undefined, { clock }));
    await pleg.relist();
    seen.length = 0;

    runtime.exit(containerId, 137);
    streams[0]?.push({
      containerId,
      containerEventType: ContainerEventType.CONTAINER_STOPPED_EVENT,
      createdAt: 1n,
      containersStatuses: [],
    });
    await settle();
    await settle();
    expect(seen).toEqual(['u1']);
  });

  it('relists every 5 s while events flow; back to every second, at once, when the stream breaks', async () => {
    const clock = new FakeClock();
    const { runtime, streams, relists } = runtimeWithEvents();
    const told: [boolean, string | undefined][] = [];
    const pleg = started(
      new Pleg(runtime, () => undefined, undefined, {
        clock,
        random: () => 0.5,
        onEventsChanged: (flowing, why) => told.push([flowing, why]),
      }),
    );
    // A fresh subscription is trusted after one generic period.
    expect(pleg.isEvented()).toBe(false);
    await advance(clock, RELIST_PERIOD_MS);
    expect(relists()).toBe(1);
    expect(pleg.isEvented()).toBe(true);
    await advance(clock, EVENTED_RELIST_PERIOD_MS - 1);
    expect(relists()).toBe(1);
    await advance(clock, 1);
    expect(relists()).toBe(2);

    streams[0]?.fail(Object.assign(new Error('14 UNAVAILABLE: Connection dropped'), { code: 14 }));
    await settle();
    await settle();
    expect(relists()).toBe(3);
    expect(pleg.isEvented()).toBe(false);
    expect(told).toEqual([
      [true, undefined],
      [false, '14 UNAVAILABLE: Connection dropped'],
    ]);
    await advance(clock, RELIST_PERIOD_MS);
    expect(relists()).toBe(4);
    // The subscription is tried again after the back-off's first delay.
    expect(streams).toHaveLength(2);
  });

  it('falls back to relisting every second when the runtime has no events, and keeps asking with back-off', async () => {
    const clock = new FakeClock();
    const unimplemented = () => {
      const stream = new EventStream();
      stream.fail(Object.assign(new Error('12 UNIMPLEMENTED: unknown method'), { code: 12 }));
      return stream;
    };
    const { runtime, streams, relists } = runtimeWithEvents(new FakeRuntime(), unimplemented);
    const told: [boolean, string | undefined][] = [];
    const pleg = started(
      new Pleg(runtime, () => undefined, undefined, {
        clock,
        random: () => 0.5,
        onEventsChanged: (flowing, why) => told.push([flowing, why]),
      }),
    );
    await settle();
    for (let second = 0; second < 7; second++) await advance(clock, RELIST_PERIOD_MS);

    expect(pleg.isEvented()).toBe(false);
    // Retries after 1 s, then 2 s more, then 4 s more: at 0, 1, 3 and 7 s.
    expect(streams).toHaveLength(4);
    // A relist every second, plus one after each refused subscription.
    expect(relists()).toBeGreaterThanOrEqual(7);
    expect(told).toEqual([[false, 'the runtime does not implement GetContainerEvents']]);
  });

  it('relists every second against a runtime client that knows no events at all', async () => {
    const clock = new FakeClock();
    const runtime = new FakeRuntime();
    await runningPod(runtime, 'u1');
    const seen: string[] = [];
    const pleg = started(new Pleg(runtime, (uid) => seen.push(uid), undefined, { clock }));
    await advance(clock, RELIST_PERIOD_MS);
    expect(seen).toEqual(['u1']);
    expect(pleg.isEvented()).toBe(false);
  });

  it('restarts a container killed from the host as soon as its event arrives (first restart: no back-off)', async () => {
    const clock = new FakeClock();
    const h = await podHarness();
    try {
      const { runtime, streams } = runtimeWithEvents(h.runtime);
      const pod: Pod = {
        metadata: { name: 'web', namespace: 'default', uid: 'uid-1' },
        spec: { containers: [{ name: 'web', image: 'busybox:1.35' }] },
      };
      await h.apply(pod);
      started(new Pleg(runtime, (uid) => h.workers.enqueue(uid), undefined, { clock }));
      const killed = h.runtime.byName('web')[0];
      if (!killed) throw new Error('the container did not start');

      h.runtime.exit(killed.id, 137);
      streams[0]?.push(exited(killed.id, 'uid-1'));
      await settle();
      await h.workers.idle();

      expect(clock.now()).toBe(0);
      expect(h.runtime.byName('web')).toHaveLength(2);
      expect(h.lastStatus()?.containerStatuses?.[0]).toMatchObject({ restartCount: 1, state: { running: {} } });
    } finally {
      await h.cleanup();
    }
  });
});
