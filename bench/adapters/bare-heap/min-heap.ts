/** What the heap orders: due instant first, then insertion sequence. */
export interface HeapItem {
  dueMs: number;
  seq: number;
  /** Position in the heap array, kept up to date so an item can be removed in O(log n). */
  index: number;
}

/** A binary min-heap of items ordered by `(dueMs, seq)`. */
export class MinHeap<T extends HeapItem> {
  #items: T[] = [];

  get size(): number {
    return this.#items.length;
  }

  peek(): T | undefined {
    return this.#items[0];
  }

  push(item: T): void {
    item.index = this.#items.length;
    this.#items.push(item);
    this.#siftUp(item.index);
  }

  pop(): T | undefined {
    const top = this.#items[0];
    if (top !== undefined) this.remove(top);

    return top;
  }

  remove(item: T): void {
    const at = item.index;
    const last = this.#items.pop();
    item.index = -1;
    if (last === undefined || last === item) return;
    this.#items[at] = last;
    last.index = at;
    this.#siftUp(at);
    this.#siftDown(last.index);
  }

  clear(): void {
    this.#items = [];
  }

  #siftUp(start: number): void {
    let at = start;
    while (at > 0) {
      const parent = (at - 1) >> 1;
      if (!this.#less(at, parent)) return;
      this.#swap(at, parent);
      at = parent;
    }
  }

  #siftDown(start: number): void {
    let at = start;
    for (;;) {
      const left = 2 * at + 1;
      const right = left + 1;
      let smallest = at;
      if (left < this.#items.length && this.#less(left, smallest)) smallest = left;
      if (right < this.#items.length && this.#less(right, smallest)) smallest = right;
      if (smallest === at) return;
      this.#swap(at, smallest);
      at = smallest;
    }
  }

  #less(i: number, j: number): boolean {
    const a = this.#items[i]!;
    const b = this.#items[j]!;

    return a.dueMs < b.dueMs || (a.dueMs === b.dueMs && a.seq < b.seq);
  }

  #swap(i: number, j: number): void {
    const a = this.#items[i]!;
    const b = this.#items[j]!;
    this.#items[i] = b;
    this.#items[j] = a;
    a.index = j;
    b.index = i;
  }
}
