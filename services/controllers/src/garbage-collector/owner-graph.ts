/**
 * The garbage collector's picture of the cluster: every watched object by uid, and for
 * each uid the objects whose ownerReferences name it. Owners may be absent (not watched,
 * not yet seen, or gone): their dependents are still indexed under their uid.
 */
import type { KubeObject, ResourceInfo } from '@tkube/api';

export interface GraphNode {
  info: ResourceInfo;
  object: KubeObject;
}

export class OwnerGraph {
  private readonly nodes = new Map<string, GraphNode>();
  private readonly dependents = new Map<string, Set<string>>();

  get(uid: string): GraphNode | undefined {
    return this.nodes.get(uid);
  }

  /** Records the object's current state; returns the owner uids it had before (to recheck them). */
  upsert(info: ResourceInfo, object: KubeObject): string[] {
    const uid = object.metadata?.uid;
    if (!uid) return [];
    const before = this.ownerUids(this.nodes.get(uid)?.object);
    for (const owner of before) this.dependents.get(owner)?.delete(uid);
    this.nodes.set(uid, { info, object });
    for (const owner of this.ownerUids(object)) {
      let set = this.dependents.get(owner);
      if (!set) {
        set = new Set();
        this.dependents.set(owner, set);
      }
      set.add(uid);
    }
    return before;
  }

  /** Forgets the object; returns its owners' uids (they may be waiting for it to go). */
  remove(object: KubeObject): string[] {
    const uid = object.metadata?.uid;
    if (!uid) return [];
    const owners = this.ownerUids(this.nodes.get(uid)?.object ?? object);
    for (const owner of owners) {
      const set = this.dependents.get(owner);
      set?.delete(uid);
      if (set?.size === 0) this.dependents.delete(owner);
    }
    this.nodes.delete(uid);
    return owners;
  }

  dependentsOf(uid: string): GraphNode[] {
    return [...(this.dependents.get(uid) ?? [])].flatMap((dependent) => {
      const node = this.nodes.get(dependent);
      return node ? [node] : [];
    });
  }

  private ownerUids(object: KubeObject | undefined): string[] {
    return (object?.metadata?.ownerReferences ?? []).map((ref) => ref.uid);
  }
}
