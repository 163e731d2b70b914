/**
 * The nodes as one scheduling cycle sees them (kube's internal cache Snapshot). The cache
 * brings it up to date before each cycle by replacing only the NodeInfos that changed
 * since the last update (their generation moved): with 5,000 nodes and one pod assumed
 * per cycle, an update touches one entry, not 5,000. The node list is rebuilt only when
 * nodes come or go.
 *
 * A snapshot is read during a cycle and updated between cycles, never during one: the
 * scheduling cycle is synchronous, so plugins always see one consistent view.
 */
import type { NodeInfo, Snapshot } from '../framework/types.js';

export class CacheSnapshot implements Snapshot {
  private list: NodeInfo[] = [];
  private readonly byName = new Map<string, NodeInfo>();
  private readonly indexOf = new Map<string, number>();
  /** Nodes holding pods with affinity terms, kept in place: a swap-remove, an append or a replace per change. */
  private readonly affinityList: NodeInfo[] = [];
  private readonly affinityIndex = new Map<string, number>();

  nodes(): readonly NodeInfo[] {
    return this.list;
  }

  get(nodeName: string): NodeInfo | undefined {
    return this.byName.get(nodeName);
  }

  nodesWithAffinityPods(): readonly NodeInfo[] {
    return this.affinityList;
  }

  /** Replaces the whole list (nodes came or went), in the order given. */
  rebuild(nodes: readonly NodeInfo[]): void {
    this.list = [...nodes];
    this.byName.clear();
    this.indexOf.clear();
    this.affinityList.length = 0;
    this.affinityIndex.clear();
    this.list.forEach((info, index) => {
      this.byName.set(info.name, info);
      this.indexOf.set(info.name, index);
      this.updateAffinity(info);
    });
  }

  /** Replaces one node's info in place; false when the node is not in the list (a rebuild is due). */
  replace(info: NodeInfo): boolean {
    const index = this.indexOf.get(info.name);
    if (index === undefined) return false;
    this.list[index] = info;
    this.byName.set(info.name, info);
    this.updateAffinity(info);
    return true;
  }

  private updateAffinity(info: NodeInfo): void {
    const at = this.affinityIndex.get(info.name);
    if (info.podsWithAffinity.length > 0) {
      if (at === undefined) {
        this.affinityIndex.set(info.name, this.affinityList.length);
        this.affinityList.push(info);
      } else {
        this.affinityList[at] = info;
      }
      return;
    }
    if (at === undefined) return;
    const last = this.affinityList.pop() as NodeInfo;
    this.affinityIndex.delete(info.name);
    if (last.name !== info.name) {
      this.affinityList[at] = last;
      this.affinityIndex.set(last.name, at);
    }
  }
}
