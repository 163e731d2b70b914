/**
 * The pod lifecycle event generator (kube's generic PLEG): every second it lists the
 * runtime's sandboxes and containers, compares their states with the last listing, and
 * tells which pods changed (a container exited, appeared or went), so their workers sync
 * at once instead of waiting for the periodic resync: a killed container is back within
 * about a second.
 */
import { POD_UID_LABEL } from '../runtime/labels.js';
import type { RuntimeService } from '../runtime/runtime-services.js';

export const RELIST_PERIOD_MS = 1_000;

export class Pleg {
  private last = new Map<string, string>();
  private timer: NodeJS.Timeout | undefined;
  private running = false;

  constructor(
    private readonly runtime: Pick<RuntimeService, 'listContainers' | 'listPodSandbox'>,
    private readonly onPodChanged: (uid: string) => void,
    private readonly onError: (err: unknown) => void = () => undefined,
  ) {}

  start(periodMs = RELIST_PERIOD_MS): void {
    this.timer = setInterval(() => {
      if (this.running) return;
      this.running = true;
      this.relist()
        .catch(this.onError)
        .finally(() => {
          this.running = false;
        });
    }, periodMs);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** One listing; answers the uids whose pods changed since the last one. Public for tests. */
  async relist(): Promise<Set<string>> {
    const [sandboxes, containers] = await Promise.all([
      this.runtime.listPodSandbox({}),
      this.runtime.listContainers({}),
    ]);
    const current = new Map<string, string>();
    const owners = new Map<string, string>();
    for (const s of sandboxes.items) {
      current.set(`s/${s.id}`, String(s.state));
      owners.set(`s/${s.id}`, s.labels[POD_UID_LABEL] ?? '');
    }
    for (const c of containers.containers) {
      current.set(`c/${c.id}`, String(c.state));
      owners.set(`c/${c.id}`, c.labels[POD_UID_LABEL] ?? '');
    }
    const changed = new Set<string>();
    const previousOwners = this.owners;
    for (const [id, state] of current) {
      if (this.last.get(id) !== state) changed.add(owners.get(id) ?? '');
    }
    for (const id of this.last.keys()) {
      if (!current.has(id)) changed.add(previousOwners.get(id) ?? '');
    }
    changed.delete('');
    this.last = current;
    this.owners = owners;
    for (const uid of changed) this.onPodChanged(uid);
    return changed;
  }

  private owners = new Map<string, string>();
}
