/**
 * The live objects of a store, found by key or by key prefix. Keys are grouped by their
 * "directory" (everything up to the last `.`: one resource in one namespace), so a list
 * visits only the directories under its prefix instead of every object in the store.
 */
import type { StoredObject } from './types.js';

export class LiveObjects {
  private readonly byKey = new Map<string, StoredObject>();
  private readonly byDirectory = new Map<string, Map<string, StoredObject>>();

  get size(): number {
    return this.byKey.size;
  }

  get(key: string): StoredObject | undefined {
    return this.byKey.get(key);
  }

  set(stored: StoredObject): void {
    this.byKey.set(stored.key, stored);
    const directory = directoryOf(stored.key);
    let entries = this.byDirectory.get(directory);
    if (!entries) {
      entries = new Map();
      this.byDirectory.set(directory, entries);
    }
    entries.set(stored.key, stored);
  }

  delete(key: string): void {
    if (!this.byKey.delete(key)) return;
    const directory = directoryOf(key);
    const entries = this.byDirectory.get(directory);
    if (!entries) return;
    entries.delete(key);
    if (entries.size === 0) this.byDirectory.delete(directory);
  }

  clear(): void {
    this.byKey.clear();
    this.byDirectory.clear();
  }

  /** Every live object whose key starts with the prefix, in no particular order. */
  select(prefix: string): StoredObject[] {
    const selected: StoredObject[] = [];
    for (const [directory, entries] of this.byDirectory) {
      if (directory.startsWith(prefix)) {
        for (const stored of entries.values()) selected.push(stored);
      } else if (prefix.startsWith(directory)) {
        // The prefix ends inside this directory's names.
        for (const stored of entries.values()) if (stored.key.startsWith(prefix)) selected.push(stored);
      }
    }
    return selected;
  }
}

function directoryOf(key: string): string {
  return key.slice(0, key.lastIndexOf('.') + 1);
}
