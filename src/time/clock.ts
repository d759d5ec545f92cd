/** An opaque handle returned by {@link Clock.setTimeout}. */
export type TimerHandle = object | number;

/**
 * The single source of time for Orbit. Every instant Orbit reads and every timer it arms
 * goes through a clock, so tests can pass a fake one (`new Orbit({ clock })`).
 */
export interface Clock {
  /** Wall-clock milliseconds since the Unix epoch. */
  now(): number;
  /**
   * Milliseconds on a clock that only moves forward at a steady rate, from any origin.
   * Comparing it with {@link Clock.now} tells a wall-clock jump from the passing of time.
   */
  monotonic(): number;
  /** Calls `callback` once after `delayMs` milliseconds. */
  setTimeout(callback: () => void, delayMs: number): TimerHandle;
  /** Cancels a timer armed by {@link Clock.setTimeout}; unknown handles are ignored. */
  clearTimeout(handle: TimerHandle): void;
}

/**
 * The longest delay Node's timers take (2^31 - 1 ms, about 24.8 days). A longer one fires
 * after 1 ms, with a warning printed to stderr.
 */
export const MAX_NODE_TIMER_MS = 2_147_483_647;

type NodeTimer = ReturnType<typeof globalThis.setTimeout>;

/** A timer longer than Node's timers take, armed again in steps until it is due. */
class LongTimer {
  timer: NodeTimer;

  constructor(callback: () => void, delayMs: number) {
    this.timer = this.#arm(callback, delayMs);
  }

  #arm(callback: () => void, leftMs: number): NodeTimer {
    if (leftMs <= MAX_NODE_TIMER_MS) return globalThis.setTimeout(callback, leftMs);
    return globalThis.setTimeout(() => {
      this.timer = this.#arm(callback, leftMs - MAX_NODE_TIMER_MS);
    }, MAX_NODE_TIMER_MS);
  }
}

/**
 * The real clock: `Date.now()` and Node's timers. Globals are looked up on every call so
 * that a process-wide fake installed later still takes effect.
 */
export const systemClock: Clock = {
  now: () => Date.now(),
  monotonic: () => performance.now(),
  setTimeout: (callback, delayMs) => {
    if (delayMs > MAX_NODE_TIMER_MS) return new LongTimer(callback, delayMs);
    return globalThis.setTimeout(callback, delayMs);
  },
  clearTimeout: (handle) => {
    const timer = handle instanceof LongTimer ? handle.timer : handle;
    globalThis.clearTimeout(timer as NodeTimer);
  },
};
