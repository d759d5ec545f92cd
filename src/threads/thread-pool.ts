import type { ResourceLimits } from 'node:worker_threads';
import { PooledThread } from './pooled-thread.js';

/** A wish for a thread, served in the order asked. */
export interface ThreadRequest {
  /** Only threads started with the same limits can serve it. */
  readonly limitsKey: string;
  readonly resourceLimits: Readonly<ResourceLimits> | undefined;
  /** Called once, with the thread now lent to the request. */
  granted(thread: PooledThread): void;
}

/**
 * The worker threads of one Orbit pool. Threads start when first needed and are kept for
 * later runs, so a short job pays no thread start per run. At most `maxThreads` live at
 * once; a request finds an idle thread with its limits, a new thread, or waits. A thread
 * that dies or is terminated leaves room for a fresh one.
 */
export class ThreadPool {
  readonly #maxThreads: number;
  readonly #threads = new Set<PooledThread>();
  readonly #idle: PooledThread[] = [];
  readonly #waiting: ThreadRequest[] = [];
  readonly #exits = new Map<PooledThread, () => void>();
  #closed = false;

  constructor(maxThreads: number) {
    this.#maxThreads = maxThreads;
  }

  /** Threads alive or on their way out. */
  get size(): number {
    return this.#threads.size;
  }

  /** Serves `request` now if a thread is free, else when one is. */
  acquire(request: ThreadRequest): void {
    this.#waiting.push(request);
    this.#serve();
  }

  /** Withdraws a request that has not been served. */
  cancel(request: ThreadRequest): void {
    const index = this.#waiting.indexOf(request);
    if (index >= 0) this.#waiting.splice(index, 1);
  }

  /** A run is done with `thread`: it idles, or serves the next request. */
  release(thread: PooledThread): void {
    thread.reclaim();
    if (!thread.isUsable || this.#closed) return;

    this.#idle.push(thread);
    this.#serve();
  }

  /** Terminates `thread`; a fresh one takes its place when needed. */
  discard(thread: PooledThread): void {
    this.#removeIdle(thread);
    thread.terminate();
  }

  /** Terminates every thread and refuses nothing more; resolves when all have exited. */
  close(): Promise<void> {
    this.#closed = true;
    this.#waiting.length = 0;
    const exited = [...this.#threads].map(
      (thread) => new Promise<void>((resolve) => this.#exits.set(thread, resolve)),
    );
    for (const thread of this.#threads) thread.terminate();
    this.#idle.length = 0;
    return Promise.all(exited).then(() => undefined);
  }

  #serve(): void {
    for (let index = 0; index < this.#waiting.length && !this.#closed;) {
      const request = this.#waiting[index] as ThreadRequest;
      const thread = this.#takeIdle(request.limitsKey) ?? this.#spawnIfRoom(request);
      if (thread === undefined) {
        index++;
        continue;
      }
      this.#waiting.splice(index, 1);
      request.granted(thread);
    }

    // Requests still wait while threads with other limits idle: make room for theirs.
    const stale = this.#waiting.length > 0 ? this.#idle.shift() : undefined;
    if (stale !== undefined) stale.terminate();
  }

  #takeIdle(limitsKey: string): PooledThread | undefined {
    for (let index = this.#idle.length - 1; index >= 0; index--) {
      const thread = this.#idle[index] as PooledThread;
      if (thread.limitsKey !== limitsKey) continue;
      this.#idle.splice(index, 1);
      return thread;
    }
    return undefined;
  }

  #spawnIfRoom(request: ThreadRequest): PooledThread | undefined {
    if (this.#threads.size >= this.#maxThreads) return undefined;

    const thread = new PooledThread(request.limitsKey, request.resourceLimits, this.#exited);
    this.#threads.add(thread);
    return thread;
  }

  readonly #exited = (thread: PooledThread): void => {
    this.#threads.delete(thread);
    this.#removeIdle(thread);
    this.#exits.get(thread)?.();
    this.#exits.delete(thread);
    this.#serve();
  };

  #removeIdle(thread: PooledThread): void {
    const index = this.#idle.indexOf(thread);
    if (index >= 0) this.#idle.splice(index, 1);
  }
}
