/**
 * The pod status manager: writes each pod's status through the status subresource, only
 * when it differs from what the apiserver holds (and from what was just written, while
 * the watch has not shown it yet). Writes are merge patches carrying the pod's uid, so a
 * status never lands on a pod that was deleted and recreated under the same name.
 * Also the kubelet's memory of the last status per pod, which probes read.
 */
import type { Pod, PodStatus } from '@tkube/api';
import { isStatusError } from '@tkube/api';

export interface StatusWriter {
  patchStatus(namespace: string, name: string, uid: string, status: PodStatus): Promise<Pod>;
}

/** Within this time of a write, the same status is not written again (the watch lags). */
const RECENT_WRITE_MS = 10_000;

export class StatusManager {
  private readonly lastWritten = new Map<string, { status: string; at: number }>();
  private readonly current = new Map<string, PodStatus>();

  constructor(
    private readonly writer: StatusWriter,
    private readonly now: () => number = Date.now,
  ) {}

  /** The last status generated for the pod (what probes and the kubelet API read). */
  statusOf(uid: string): PodStatus | undefined {
    return this.current.get(uid);
  }

  /** Records the status and writes it when it changed; answers whether it wrote. */
  async setPodStatus(pod: Pod, status: PodStatus): Promise<boolean> {
    const uid = pod.metadata?.uid ?? '';
    this.current.set(uid, status);
    const wanted = normalized(status);
    if (wanted === normalized(pod.status ?? {})) return false;
    const last = this.lastWritten.get(uid);
    if (last && last.status === wanted && this.now() - last.at < RECENT_WRITE_MS) return false;
    try {
      await this.writer.patchStatus(pod.metadata?.namespace ?? 'default', pod.metadata?.name ?? '', uid, status);
    } catch (err) {
      // The pod is gone or was replaced: nothing to report on any more.
      if (isStatusError(err, 'NotFound') || isStatusError(err, 'Conflict')) return false;
      throw err;
    }
    this.lastWritten.set(uid, { status: wanted, at: this.now() });
    return true;
  }

  forget(uid: string): void {
    this.lastWritten.delete(uid);
    this.current.delete(uid);
  }
}

/** A comparable form: keys sorted, undefined dropped, null kept. */
function normalized(status: PodStatus): string {
  return JSON.stringify(sortKeys(status));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[key];
      if (v !== undefined) out[key] = sortKeys(v);
    }
    return out;
  }
  return value;
}
