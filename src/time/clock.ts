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
 * The real clock: `Date.now()` and Node's timers. Globals are looked up on every call so
 * that a process-wide fake installed later still takes effect.
 */
export const systemClock: Clock = {
  now: () => Date.now(),
  monotonic: () => performance.now(),
  setTimeout: (callback, delayMs) => {
    return globalThis.setTimeout(callback, delayMs);
  },
  clearTimeout: (handle) => {
    globalThis.clearTimeout(handle as ReturnType<typeof globalThis.setTimeout>);
  },
};
