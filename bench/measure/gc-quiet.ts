import { PerformanceObserver } from 'node:perf_hooks';
import { nowMs } from './clock.js';

/**
 * Counts the process's garbage collections as they happen (`gc` performance entries), so a
 * scenario can wait for V8 to stop collecting before it measures and can tell how many
 * collections fell into its window.
 */
export class GcWatch {
  private collections = 0;
  private readonly observer = new PerformanceObserver((list) => {
    this.collections += list.getEntries().length;
  });

  constructor() {
    this.observer.observe({ entryTypes: ['gc'] });
  }

  get count(): number {
    return this.collections;
  }

  /**
   * Waits until a whole `quietMs` passes with no collection (or until `capMs` has passed);
   * returns how long it waited. Each wait is one timer: V8's memory reducer holds off while
   * JavaScript keeps being called, so polling here would only push its collections into the
   * window that follows.
   */
  async settle(quietMs: number, capMs: number): Promise<number> {
    const startMs = nowMs();
    for (;;) {
      const before = this.collections;
      await new Promise<void>((resolve) => setTimeout(resolve, quietMs));
      if (this.collections === before || nowMs() - startMs >= capMs) break;
    }

    return nowMs() - startMs;
  }

  stop(): void {
    this.observer.disconnect();
  }
}
