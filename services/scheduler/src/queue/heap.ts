/**
 * A binary heap of keyed items (kube's internal/heap): push, pop, peek, and update or
 * delete by key in O(log n), because a queued pod can change or vanish while it waits.
 */
export class KeyedHeap<T> {
  private readonly items: T[] = [];
  private readonly positions = new Map<string, number>();

  constructor(
    private readonly keyOf: (item: T) => string,
    /** True when `a` must come out before `b`. */
    private readonly less: (a: T, b: T) => boolean,
  ) {}

  get size(): number {
    return this.items.length;
  }

  has(key: string): boolean {
    return this.positions.has(key);
  }

  get(key: string): T | undefined {
    const index = this.positions.get(key);
    return index === undefined ? undefined : this.items[index];
  }

  /** Adds the item, or replaces the one with the same key and restores the order. */
  push(item: T): void {
    const key = this.keyOf(item);
    const index = this.positions.get(key);
    if (index !== undefined) {
      this.items[index] = item;
      this.fix(index);
      return;
    }
    this.items.push(item);
    this.positions.set(key, this.items.length - 1);
    this.up(this.items.length - 1);
  }

  peek(): T | undefined {
    return this.items[0];
  }

  pop(): T | undefined {
    if (this.items.length === 0) return undefined;
    return this.removeAt(0);
  }

  delete(key: string): T | undefined {
    const index = this.positions.get(key);
    return index === undefined ? undefined : this.removeAt(index);
  }

  values(): readonly T[] {
    return this.items;
  }

  private removeAt(index: number): T {
    const item = this.items[index] as T;
    const last = this.items.pop() as T;
    this.positions.delete(this.keyOf(item));
    if (index < this.items.length) {
      this.items[index] = last;
      this.positions.set(this.keyOf(last), index);
      this.fix(index);
    }
    return item;
  }

  private fix(index: number): void {
    if (!this.up(index)) this.down(index);
  }

  private up(start: number): boolean {
    let index = start;
    while (index > 0) {
      const parent = (index - 1) >> 1;
      if (!this.less(this.at(index), this.at(parent))) break;
      this.swap(index, parent);
      index = parent;
    }
    return index !== start;
  }

  private down(start: number): void {
    let index = start;
    const n = this.items.length;
    for (;;) {
      const left = 2 * index + 1;
      if (left >= n) return;
      const right = left + 1;
      const child = right < n && this.less(this.at(right), this.at(left)) ? right : left;
      if (!this.less(this.at(child), this.at(index))) return;
      this.swap(index, child);
      index = child;
    }
  }

  private at(index: number): T {
    return this.items[index] as T;
  }

  private swap(i: number, j: number): void {
    const a = this.at(i);
    const b = this.at(j);
    this.items[i] = b;
    this.items[j] = a;
    this.positions.set(this.keyOf(b), i);
    this.positions.set(this.keyOf(a), j);
  }
}
