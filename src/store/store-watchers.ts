import type { JobChange, StoreWatcher } from './store.js';

/**
 * The watchers of a store's pools (`Store.watch`), by pool id. A watcher that throws is
 * the pool's bug: it must not keep the change from the other watchers.
 */
export class StoreWatchers {
  readonly #byPool = new Map<string, Set<StoreWatcher>>();

  /** Whether any pool watches at all: stores skip building changes nobody reads. */
  get isEmpty(): boolean {
    return this.#byPool.size === 0;
  }

  /** Whether any watcher follows the pool. */
  has(poolId: string): boolean {
    return this.#byPool.has(poolId);
  }

  add(poolId: string, watcher: StoreWatcher): () => void {
    let watchers = this.#byPool.get(poolId);
    if (watchers === undefined) this.#byPool.set(poolId, (watchers = new Set()));
    watchers.add(watcher);
    return () => {
      watchers.delete(watcher);
      if (watchers.size === 0 && this.#byPool.get(poolId) === watchers) {
        this.#byPool.delete(poolId);
      }
    };
  }

  changed(poolId: string, change: JobChange): void {
    this.#tell(poolId, (watcher) => watcher.changed(change));
  }

  membersChanged(poolId: string): void {
    this.#tell(poolId, (watcher) => watcher.membersChanged());
  }

  runLost(poolId: string, jobId: string, fence: number): void {
    this.#tell(poolId, (watcher) => watcher.runLost(jobId, fence));
  }

  clear(): void {
    this.#byPool.clear();
  }

  /** Calls each watcher of the pool; one that throws does not keep it from the others. */
  #tell(poolId: string, call: (watcher: StoreWatcher) => void): void {
    const watchers = this.#byPool.get(poolId);
    if (watchers === undefined) return;
    for (const watcher of watchers) {
      try {
        call(watcher);
      } catch {
        // The pool contains its own failures; one that escapes must not reach the store.
      }
    }
  }
}
