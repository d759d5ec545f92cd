import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { MAX_NODE_TIMER_MS, systemClock } from '../../src/time/clock.js';

/*
 * Node's timers take delays up to 2^31 - 1 ms (about 24.8 days); a longer one fires after
 * 1 ms, and Node prints a warning. A pause timeout, a kill's grace or a check interval of
 * a month must wait the month.
 */

const DAY_MS = 86_400_000;

describe('the system clock', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('fires a timer longer than Node takes once, when it is due', () => {
    const fired = vi.fn();
    systemClock.setTimeout(fired, 30 * DAY_MS);

    vi.advanceTimersByTime(30 * DAY_MS - 1);
    expect(fired).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(fired).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(60 * DAY_MS);
    expect(fired).toHaveBeenCalledTimes(1);
  });

  it('cancels a long timer before and after its first step', () => {
    const early = vi.fn();
    const late = vi.fn();
    const earlyTimer = systemClock.setTimeout(early, 60 * DAY_MS);
    const lateTimer = systemClock.setTimeout(late, 60 * DAY_MS);

    systemClock.clearTimeout(earlyTimer);
    vi.advanceTimersByTime(MAX_NODE_TIMER_MS + 1);
    systemClock.clearTimeout(lateTimer);
    vi.advanceTimersByTime(60 * DAY_MS);
    expect(early).not.toHaveBeenCalled();
    expect(late).not.toHaveBeenCalled();
  });
});
