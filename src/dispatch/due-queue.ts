/** What the due queue orders: by due instant, then by the order entries were first added. */
export interface DueEntry {
  /** Epoch ms at which the entry falls due. Tell the queue when it changes. */
  dueAt: number;
  /** Tie-breaker: a lower number goes first among entries due at the same instant. */
  readonly seq: number;
  /**
   * The entry's handle in the queue that holds it, or -1 when not queued. Owned by the
   * queue; an entry sits in one queue at most.
   */
  queueHandle: number;
}

const INITIAL_CAPACITY = 64;
/** Children per node: four siblings' keys share a cache line, and the tree is half as deep. */
const ARITY = 4;

/**
 * A min-heap of entries by (`dueAt`, `seq`) in which an entry can be removed or moved in
 * O(log n) without a search.
 *
 * Each queued entry holds a small handle; the heap's slots, the keys they sort by and
 * where each handle's slot is all live in arrays side by side. A sift moves slots within
 * those arrays and never reads or writes an entry object: with 100,000 jobs scattered over
 * the JS heap, touching each one at every level of a sift was most of the cost of
 * starting a run. Handles are reused once their entry leaves, so the arrays stay as long
 * as the most entries ever queued at once.
 */
export class DueQueue<T extends DueEntry> {
  /** Per slot: the entry, its key, its handle. */
  #entries: T[] = [];
  #dueAts = new Float64Array(INITIAL_CAPACITY);
  #seqs = new Float64Array(INITIAL_CAPACITY);
  #handles = new Int32Array(INITIAL_CAPACITY);
  /** Per handle: the slot it sits in. */
  #slots = new Int32Array(INITIAL_CAPACITY);
  /** Handles given back, to give out again before new ones. */
  #freeHandles: number[] = [];
  #nextHandle = 0;

  get size(): number {
    return this.#entries.length;
  }

  /** The entry due first, without removing it. */
  peek(): T | undefined {
    return this.#entries[0];
  }

  has(entry: T): boolean {
    return entry.queueHandle >= 0;
  }

  push(entry: T): void {
    const index = this.#entries.length;
    if (index === this.#dueAts.length) this.#grow();

    const handle = this.#freeHandles.pop() ?? this.#nextHandle++;
    entry.queueHandle = handle;
    this.#entries.push(entry);
    this.#place(index, entry, entry.dueAt, entry.seq, handle);
    this.#siftUp(index);
  }

  /** Removes and returns the entry due first. */
  pop(): T | undefined {
    const top = this.#entries[0];
    if (top !== undefined) this.#removeAt(0);
    return top;
  }

  /** Removes `entry` wherever it sits; a no-op when it is not queued. */
  remove(entry: T): void {
    if (this.has(entry)) this.#removeAt(this.#slots[entry.queueHandle] as number);
  }

  /** Call after changing a queued entry's `dueAt`. */
  update(entry: T): void {
    if (!this.has(entry)) return;

    const index = this.#slots[entry.queueHandle] as number;
    this.#dueAts[index] = entry.dueAt;
    this.#restore(index);
  }

  /** Restores heap order after many `dueAt` values changed at once. O(n). */
  reorder(): void {
    const entries = this.#entries;
    for (let index = 0; index < entries.length; index++) {
      this.#dueAts[index] = (entries[index] as T).dueAt;
    }
    const lastParent = Math.floor((entries.length - 2) / ARITY);
    for (let index = lastParent; index >= 0; index--) this.#siftDown(index);
  }

  /** Every queued entry, in no particular order. */
  entries(): readonly T[] {
    return this.#entries;
  }

  clear(): void {
    for (const entry of this.#entries) entry.queueHandle = -1;
    this.#entries = [];
    this.#freeHandles = [];
    this.#nextHandle = 0;
  }

  #removeAt(index: number): void {
    const entries = this.#entries;
    const removed = entries[index] as T;
    this.#freeHandles.push(removed.queueHandle);
    removed.queueHandle = -1;

    const last = entries.pop() as T;
    const lastIndex = entries.length;
    if (index === lastIndex) return;

    const lastDueAt = this.#dueAts[lastIndex] as number;
    const lastSeq = this.#seqs[lastIndex] as number;
    this.#place(index, last, lastDueAt, lastSeq, this.#handles[lastIndex] as number);
    this.#restore(index);
  }

  #restore(index: number): void {
    if (!this.#siftUp(index)) this.#siftDown(index);
  }

  #siftUp(start: number): boolean {
    const entries = this.#entries;
    const dueAts = this.#dueAts;
    const seqs = this.#seqs;
    const handles = this.#handles;
    const entry = entries[start] as T;
    const dueAt = dueAts[start] as number;
    const seq = seqs[start] as number;
    const handle = handles[start] as number;
    let index = start;

    while (index > 0) {
      const parentIndex = Math.floor((index - 1) / ARITY);
      const parentDueAt = dueAts[parentIndex] as number;
      const parentSeq = seqs[parentIndex] as number;
      if (!isBefore(dueAt, seq, parentDueAt, parentSeq)) break;
      const parentHandle = handles[parentIndex] as number;
      this.#place(index, entries[parentIndex] as T, parentDueAt, parentSeq, parentHandle);
      index = parentIndex;
    }

    if (index === start) return false;
    this.#place(index, entry, dueAt, seq, handle);
    return true;
  }

  #siftDown(start: number): void {
    const entries = this.#entries;
    const dueAts = this.#dueAts;
    const seqs = this.#seqs;
    const size = entries.length;
    const entry = entries[start] as T;
    const dueAt = dueAts[start] as number;
    const seq = seqs[start] as number;
    const handle = this.#handles[start] as number;
    let index = start;

    for (;;) {
      const firstChild = ARITY * index + 1;
      if (firstChild >= size) break;

      let childIndex = firstChild;
      let childDueAt = dueAts[firstChild] as number;
      let childSeq = seqs[firstChild] as number;
      const lastChild = Math.min(firstChild + ARITY, size);
      for (let sibling = firstChild + 1; sibling < lastChild; sibling++) {
        const siblingDueAt = dueAts[sibling] as number;
        const siblingSeq = seqs[sibling] as number;
        if (!isBefore(siblingDueAt, siblingSeq, childDueAt, childSeq)) continue;
        childIndex = sibling;
        childDueAt = siblingDueAt;
        childSeq = siblingSeq;
      }

      if (!isBefore(childDueAt, childSeq, dueAt, seq)) break;
      const childHandle = this.#handles[childIndex] as number;
      this.#place(index, entries[childIndex] as T, childDueAt, childSeq, childHandle);
      index = childIndex;
    }

    if (index !== start) this.#place(index, entry, dueAt, seq, handle);
  }

  /** Puts a slot at `index` and tells its handle where it is. */
  #place(index: number, entry: T, dueAt: number, seq: number, handle: number): void {
    this.#entries[index] = entry;
    this.#dueAts[index] = dueAt;
    this.#seqs[index] = seq;
    this.#handles[index] = handle;
    this.#slots[handle] = index;
  }

  /** Doubles the arrays; they never shrink, as a pool's size is usually steady. */
  #grow(): void {
    const capacity = this.#dueAts.length * 2;
    this.#dueAts = grown(this.#dueAts, new Float64Array(capacity));
    this.#seqs = grown(this.#seqs, new Float64Array(capacity));
    this.#handles = grown(this.#handles, new Int32Array(capacity));
    this.#slots = grown(this.#slots, new Int32Array(capacity));
  }
}

function grown<A extends Float64Array | Int32Array>(values: A, larger: A): A {
  larger.set(values);
  return larger;
}

function isBefore(dueAt: number, seq: number, otherDueAt: number, otherSeq: number): boolean {
  return dueAt < otherDueAt || (dueAt === otherDueAt && seq < otherSeq);
}
