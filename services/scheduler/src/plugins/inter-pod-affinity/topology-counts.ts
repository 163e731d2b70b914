/**
 * Counts per topology pair (label key, label value), e.g. how many matching pods sit in
 * zone=us-east-1a. Nested maps, so looking a pair up for a node allocates nothing, and the
 * keys are kept in an array for allocation-free iteration.
 */
import { type Labels, labelValue } from '../api-types.js';

export class TopologyCounts {
  readonly keys: string[] = [];
  readonly valuesByKey: Map<string, number>[] = [];
  private readonly byKey = new Map<string, Map<string, number>>();
  private pairs = 0;

  add(key: string, value: string, delta: number): void {
    let values = this.byKey.get(key);
    if (!values) {
      values = new Map();
      this.byKey.set(key, values);
      this.keys.push(key);
      this.valuesByKey.push(values);
    }
    const before = values.get(value);
    if (before === undefined) this.pairs++;
    values.set(value, (before ?? 0) + delta);
  }

  /** Adds `delta` for the pair of `key` on a node with `labels`, if the node has that label. */
  addForNode(labels: Labels, key: string, delta: number): void {
    const value = labelValue(labels, key);
    if (value !== undefined) this.add(key, value, delta);
  }

  get(key: string, value: string): number {
    return this.byKey.get(key)?.get(value) ?? 0;
  }

  /** The count of the pair a node with `labels` belongs to for `key`; undefined without the label. */
  forNode(labels: Labels, key: string): number | undefined {
    const value = labelValue(labels, key);
    return value === undefined ? undefined : this.get(key, value);
  }

  get isEmpty(): boolean {
    return this.pairs === 0;
  }
}
