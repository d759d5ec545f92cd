import { PerformanceObserver } from 'node:perf_hooks';
import { nowMs, waitFor } from './clock.js';

/**
 * Counts the process's garbage collections as they happen (`gc` performance entries), so a
 * scenario can wait for V8 to stop collecting before it measures and can tell how many
 * collections fell into its window.
 */
export class GcWatch {
  private collections = 0;
  private lastAtMs = nowMs();
  private readonly observer = new PerformanceObserver((list) => {
    this.collections += list.getEntries().length;
    this.lastAtMs = nowMs();
  });

  constructor() {
    this.observer.observe({ entryTypes: ['gc'] });
  }

  get count(): number {
    return this.collections;
  }

  /**
   * Waits until no collection has happened for `quietMs` (or until `capMs` has passed);
   * returns how long it waited.
   */
  async settle(quietMs: number, capMs: number): Promise<number> {
    const startMs = nowMs();
    await waitFor(() => nowMs() - this.lastAtMs >= quietMs, startMs + capMs, 100);

    return nowMs() - startMs;
  }

  stop(): void {
    this.observer.disconnect();
  }
}
