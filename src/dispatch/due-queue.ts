/** What the due queue orders: by due instant, then by the order entries were first added. */
export interface DueEntry {
  /** Epoch ms at which the entry falls due. */
  dueAt: number;
  /** Tie-breaker: a lower number goes first among entries due at the same instant. */
  readonly seq: number;
  /** Position in the queue, or -1 when not queued. Owned by the queue. */
  queueIndex: number;
}

/**
 * A binary min-heap that knows where each entry sits, so an entry can be removed or
 * moved in O(log n) without a search. Entries carry their own index: no side table.
 */
export class DueQueue<T extends DueEntry> {
  #heap: T[] = [];

  get size(): number {
    return this.#heap.length;
  }

  /** The entry due first, without removing it. */
  peek(): T | undefined {
    return this.#heap[0];
  }

  has(entry: T): boolean {
    return entry.queueIndex >= 0 && this.#heap[entry.queueIndex] === entry;
  }

  push(entry: T): void {
    entry.queueIndex = this.#heap.length;
    this.#heap.push(entry);
    this.#siftUp(entry.queueIndex);
  }

  /** Removes and returns the entry due first. */
  pop(): T | undefined {
    const heap = this.#heap;
    const top = heap[0];
    if (top === undefined) return undefined;

    const last = heap.pop() as T;
    if (last !== top) {
      heap[0] = last;
      last.queueIndex = 0;
      this.#siftDown(0);
    }

    top.queueIndex = -1;
    return top;
  }

  /** Removes `entry` wherever it sits; a no-op when it is not queued. */
  remove(entry: T): void {
    if (!this.has(entry)) return;

    const heap = this.#heap;
    const index = entry.queueIndex;
    const last = heap.pop() as T;
    entry.queueIndex = -1;
    if (last === entry) return;

    heap[index] = last;
    last.queueIndex = index;
    this.#restore(index);
  }

  /** Call after changing a queued entry's `dueAt`. */
  update(entry: T): void {
    if (this.has(entry)) this.#restore(entry.queueIndex);
  }

  /** Restores heap order after many `dueAt` values changed at once. O(n). */
  reorder(): void {
    for (let index = (this.#heap.length >> 1) - 1; index >= 0; index--) this.#siftDown(index);
  }

  /** Every queued entry, in no particular order. */
  entries(): readonly T[] {
    return this.#heap;
  }

  clear(): void {
    for (const entry of this.#heap) entry.queueIndex = -1;
    this.#heap = [];
  }

  #restore(index: number): void {
    const moved = this.#siftUp(index);
    if (!moved) this.#siftDown(index);
  }

  #siftUp(start: number): boolean {
    const heap = this.#heap;
    const entry = heap[start] as T;
    let index = start;

    while (index > 0) {
      const parentIndex = (index - 1) >> 1;
      const parent = heap[parentIndex] as T;
      if (!isBefore(entry, parent)) break;
      heap[index] = parent;
      parent.queueIndex = index;
      index = parentIndex;
    }

    heap[index] = entry;
    entry.queueIndex = index;
    return index !== start;
  }

  #siftDown(start: number): void {
    const heap = this.#heap;
    const size = heap.length;
    const entry = heap[start] as T;
    let index = start;

    for (;;) {
      const leftIndex = 2 * index + 1;
      if (leftIndex >= size) break;

      const rightIndex = leftIndex + 1;
      let childIndex = leftIndex;
      if (rightIndex < size && isBefore(heap[rightIndex] as T, heap[leftIndex] as T)) {
        childIndex = rightIndex;
      }

      const child = heap[childIndex] as T;
      if (!isBefore(child, entry)) break;
      heap[index] = child;
      child.queueIndex = index;
      index = childIndex;
    }

    heap[index] = entry;
    entry.queueIndex = index;
  }
}

function isBefore(a: DueEntry, b: DueEntry): boolean {
  return a.dueAt < b.dueAt || (a.dueAt === b.dueAt && a.seq < b.seq);
}
