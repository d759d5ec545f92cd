import type { MisfirePolicy } from '../job/job-config.js';
import { nextDue, type Schedule } from './schedule.js';

/** The most missed ticks that `misfire: 'all'` runs after downtime; older ones are dropped. */
export const MAX_CATCH_UP_TICKS = 100;

/** Where a job restored from a store picks up its schedule. */
export interface CatchUp {
  /** The due instant of the job's next run. */
  readonly dueMs: number | undefined;
  /**
   * With `misfire: 'all'`, the instant up to which every tick runs in turn (the restore
   * instant); `undefined` when there is nothing to catch up.
   */
  readonly catchUpUntilMs: number | undefined;
}

/**
 * Applies a job's misfire policy to the position a store kept for it. When `storedDueMs`
 * is not in the past there is nothing to catch up. Otherwise the ticks from `storedDueMs`
 * to `nowMs` were missed while no process ran the job:
 *
 * - `'once'` runs one of them now, serving the latest;
 * - `'skip'` runs none and waits for the first tick after `nowMs`;
 * - `'all'` runs each of them in turn, at most {@link MAX_CATCH_UP_TICKS} (the latest).
 */
export function catchUp(
  schedule: Schedule,
  storedDueMs: number,
  nowMs: number,
  misfire: MisfirePolicy,
): CatchUp {
  if (storedDueMs >= nowMs) return { dueMs: storedDueMs, catchUpUntilMs: undefined };

  switch (misfire) {
    case 'skip':
      return { dueMs: nextDue(schedule, storedDueMs, nowMs), catchUpUntilMs: undefined };
    case 'once':
      return { dueMs: latestTick(schedule, storedDueMs, nowMs, 1), catchUpUntilMs: undefined };
    case 'all': {
      const dueMs = latestTick(schedule, storedDueMs, nowMs, MAX_CATCH_UP_TICKS);
      return { dueMs, catchUpUntilMs: nowMs };
    }
  }
}

/**
 * The due instant after a run that served `scheduledAtMs` while catching up: the next
 * tick, even a past one, until the ticks pass `catchUpUntilMs`. `undefined` when catching
 * up is over and the normal rule ({@link nextDue}) applies again.
 */
export function nextCatchUpTick(
  schedule: Schedule,
  scheduledAtMs: number,
  catchUpUntilMs: number,
): number | undefined {
  const tickMs = nextDue(schedule, scheduledAtMs, scheduledAtMs);
  return tickMs !== undefined && tickMs <= catchUpUntilMs ? tickMs : undefined;
}

/**
 * The `count`-th latest tick at or before `nowMs`, not earlier than `firstTickMs` (itself a
 * tick). Cron schedules only step forward, so the search widens a window back from `nowMs`
 * until it holds enough ticks: a few calls however long the downtime was.
 */
function latestTick(schedule: Schedule, firstTickMs: number, nowMs: number, count: number) {
  if (schedule.kind === 'interval') {
    const { periodMs } = schedule;
    const ticksBehind = Math.floor((nowMs - firstTickMs) / periodMs);
    return firstTickMs + Math.max(ticksBehind - count + 1, 0) * periodMs;
  }

  for (let windowMs = 1000; ; windowMs *= 2) {
    const fromMs = Math.max(nowMs - windowMs, firstTickMs);
    const ticks = ticksBetween(schedule, fromMs, nowMs);
    if (ticks.length >= count || fromMs === firstTickMs) {
      return ticks.length === 0 ? firstTickMs : ticks[Math.max(ticks.length - count, 0)];
    }
  }
}

/** The ticks in `[fromMs, untilMs]`, for a cron schedule. */
function ticksBetween(schedule: Schedule, fromMs: number, untilMs: number): number[] {
  const ticks: number[] = [];
  for (let tickMs = nextDue(schedule, fromMs - 1, fromMs - 1); ;) {
    if (tickMs === undefined || tickMs > untilMs) return ticks;
    ticks.push(tickMs);
    tickMs = nextDue(schedule, tickMs, tickMs);
  }
}
