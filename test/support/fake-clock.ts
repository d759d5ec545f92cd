import FakeTimers from '@sinonjs/fake-timers';
import type { Clock } from '../../src/time/clock.js';

/** A controllable {@link Clock} for tests, on `@sinonjs/fake-timers`. */
export interface FakeClock extends Clock {
  /** Moves time forward by `ms`, running every timer due on the way and settling promises. */
  tick(ms: number): Promise<void>;
  /** Runs timers until none is due at the current instant, settling promises. */
  flush(): Promise<void>;
  /** Sets the wall clock without running timers: a jump like NTP or a suspend makes. */
  jumpTo(epochMs: number): void;
  /** Resolves after `ms` of fake time. */
  sleep(ms: number): Promise<void>;
  /** How many timers are armed and not yet fired or cleared. */
  pendingTimers(): number;
}

/** A fake clock that starts at `startMs` (default 2026-01-01T00:00:00Z). */
export function createFakeClock(startMs = Date.UTC(2026, 0, 1)): FakeClock {
  const timers = FakeTimers.createClock(startMs, 100_000);
  // Jumps move the wall clock but not the steady one, as on a real machine.
  let jumpedMs = 0;

  return {
    now: () => timers.now,
    monotonic: () => timers.now - jumpedMs,
    setTimeout: (callback, delayMs) => timers.setTimeout(callback, delayMs),
    clearTimeout: (handle) => {
      timers.clearTimeout(handle as FakeTimers.TimerId);
    },
    tick: async (ms) => {
      await timers.tickAsync(ms);
    },
    flush: async () => {
      await timers.tickAsync(0);
    },
    jumpTo: (epochMs) => {
      jumpedMs += epochMs - timers.now;
      timers.setSystemTime(epochMs);
    },
    sleep: (ms) =>
      new Promise<void>((resolve) => {
        timers.setTimeout(() => resolve(), ms);
      }),
    pendingTimers: () => timers.countTimers(),
  };
}
