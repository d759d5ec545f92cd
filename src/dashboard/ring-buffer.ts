/** The latest `capacity` items pushed, oldest first; older ones fall out. */
export class RingBuffer<T> {
  readonly #items: (T | undefined)[];
  #next = 0;
  #size = 0;

  constructor(capacity: number) {
    this.#items = new Array<T | undefined>(capacity);
  }

  get size(): number {
    return this.#size;
  }

  push(item: T): void {
    const capacity = this.#items.length;
    this.#items[this.#next] = item;
    this.#next = (this.#next + 1) % capacity;
    this.#size = Math.min(this.#size + 1, capacity);
  }

  /** The items, oldest first. */
  toArray(): T[] {
    const capacity = this.#items.length;
    const start = (this.#next - this.#size + capacity) % capacity;
    const items: T[] = [];
    for (let offset = 0; offset < this.#size; offset++) {
      items.push(this.#items[(start + offset) % capacity] as T);
    }
    return items;
  }
}
