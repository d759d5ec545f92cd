import type { MisfirePolicy } from '../../job/job-config.js';
import { nextDue, type Schedule } from '../../schedule/schedule.js';

/** How a claim treats the ticks that are due: run one of them, or skip them all. */
export type ClaimPlan =
  | {
      readonly kind: 'run';
      /** The tick the run serves. */
      readonly tickMs: number;
      /** Ticks before it that are passed over and recorded as skipped. */
      readonly skipped: number;
      /** The job's next due instant; `undefined` when the schedule has no future. */
      readonly nextDueMs: number | undefined;
    }
  | {
      readonly kind: 'skip';
      readonly skipped: number;
      readonly nextDueMs: number | undefined;
    };

/** Limits that shape a claim plan. */
export interface PlanLimits {
  /** A tick later than this is missed for the `'skip'` policy. */
  readonly graceMs: number;
  /** Most missed ticks the `'all'` policy runs; older ones are skipped. */
  readonly maxCatchUp: number;
  /** No tick after this instant is due. */
  readonly endAtMs: number | undefined;
}

/**
 * Counting ticks one by one stops here; a cron job that was down long enough to pass it
 * jumps ahead (see {@link latestTick}) and records only the ticks counted.
 */
export const MAX_TICKS_COUNTED = 100_000;

/**
 * Decides what a claim of a job due at `dueMs` does when the database says it is `nowMs`.
 *
 * One tick due: it runs, unless the policy is `'skip'` and it is later than the grace.
 * Several ticks due (a misfire, after downtime): `'once'` runs the latest and skips the
 * others; `'skip'` runs the latest only within the grace; `'all'` runs them one by one,
 * at most `maxCatchUp` of them.
 */
export function planClaim(
  schedule: Schedule,
  dueMs: number,
  nowMs: number,
  policy: MisfirePolicy,
  limits: PlanLimits,
): ClaimPlan {
  const following = within(tickAfter(schedule, dueMs), limits.endAtMs);
  if (following === undefined || following > nowMs) {
    if (policy === 'skip' && nowMs - dueMs > limits.graceMs) {
      return { kind: 'skip', skipped: 1, nextDueMs: following };
    }
    return { kind: 'run', tickMs: dueMs, skipped: 0, nextDueMs: following };
  }

  // No tick after the job's window is due, however late the claim.
  const horizonMs = Math.min(nowMs, limits.endAtMs ?? nowMs);
  if (policy === 'all') return planCatchUp(schedule, dueMs, horizonMs, limits);

  const { tickMs, before } = latestTick(schedule, dueMs, horizonMs);
  const nextDueMs = within(tickAfter(schedule, tickMs), limits.endAtMs);
  if (policy === 'skip' && nowMs - tickMs > limits.graceMs) {
    return { kind: 'skip', skipped: before + 1, nextDueMs };
  }
  return { kind: 'run', tickMs, skipped: before, nextDueMs };
}

/**
 * After a run that served `tickMs` and ended at `endedMs`: the next due instant, and the
 * ticks passed over. Under `'once'` and `'skip'`, ticks that fell due during the run are
 * skipped and counted, because a job never overlaps itself. Under `'all'` every tick is
 * owed a run, so the job goes on at the tick after the one served, however late, and the
 * next claim catches up (within `maxCatchUp`).
 */
export function planAfterRun(
  schedule: Schedule,
  tickMs: number,
  endedMs: number,
  policy: MisfirePolicy,
  endAtMs: number | undefined,
): { nextDueMs: number | undefined; skipped: number } {
  if (policy === 'all')
    return { nextDueMs: within(tickAfter(schedule, tickMs), endAtMs), skipped: 0 };

  const nextDueMs = within(nextDue(schedule, tickMs, endedMs), endAtMs);
  return {
    nextDueMs,
    skipped: countTicks(schedule, tickMs, Math.min(endedMs, endAtMs ?? endedMs)),
  };
}

/**
 * Where a job due at `dueMs` really resumes when `lastRunTickMs` was already served: its
 * first tick after that one (on the grid of `dueMs` for an interval). Ticks only move
 * forward, even when a schedule change put the due instant back on served ground.
 */
export function resumeAfterServed(
  schedule: Schedule,
  dueMs: number,
  lastRunTickMs: number | undefined,
): number | undefined {
  if (lastRunTickMs === undefined || dueMs > lastRunTickMs) return dueMs;
  if (schedule.kind === 'cron') return schedule.cron.next(lastRunTickMs);

  const periods = Math.floor((lastRunTickMs - dueMs) / schedule.periodMs) + 1;
  return dueMs + periods * schedule.periodMs;
}

/** The first tick strictly after `afterMs`, on the grid of `afterMs` for an interval. */
export function tickAfter(schedule: Schedule, afterMs: number): number | undefined {
  return schedule.kind === 'interval' ? afterMs + schedule.periodMs : schedule.cron.next(afterMs);
}

function planCatchUp(
  schedule: Schedule,
  dueMs: number,
  nowMs: number,
  limits: PlanLimits,
): ClaimPlan {
  const backlog = countTicks(schedule, dueMs, nowMs) + 1;
  let tickMs = dueMs;
  let skipped = 0;
  if (backlog > limits.maxCatchUp) {
    skipped = backlog - limits.maxCatchUp;
    tickMs = advance(schedule, dueMs, skipped);
  }
  return {
    kind: 'run',
    tickMs,
    skipped,
    nextDueMs: within(tickAfter(schedule, tickMs), limits.endAtMs),
  };
}

/** The latest tick at or before `nowMs`, from `dueMs` on, and how many ticks precede it. */
function latestTick(
  schedule: Schedule,
  dueMs: number,
  nowMs: number,
): { tickMs: number; before: number } {
  if (schedule.kind === 'interval') {
    const before = Math.floor((nowMs - dueMs) / schedule.periodMs);
    return { tickMs: dueMs + before * schedule.periodMs, before };
  }

  let tickMs = dueMs;
  let before = 0;
  for (let next = schedule.cron.next(tickMs); next !== undefined && next <= nowMs;) {
    if (before === MAX_TICKS_COUNTED) return { tickMs: latestCronTick(schedule, nowMs), before };
    tickMs = next;
    before++;
    next = schedule.cron.next(tickMs);
  }
  return { tickMs, before };
}

/** The latest cron tick at or before `nowMs`, found by widening a window back from it. */
function latestCronTick(schedule: Schedule & { kind: 'cron' }, nowMs: number): number {
  for (let windowMs = 60_000; ; windowMs *= 2) {
    let tickMs = schedule.cron.next(nowMs - windowMs);
    if (tickMs !== undefined && tickMs <= nowMs) {
      for (let next = schedule.cron.next(tickMs); next !== undefined && next <= nowMs;) {
        tickMs = next;
        next = schedule.cron.next(tickMs);
      }
      return tickMs;
    }
  }
}

/** Ticks strictly after `fromMs` and at or before `toMs`, counted up to a bound. */
function countTicks(schedule: Schedule, fromMs: number, toMs: number): number {
  if (toMs <= fromMs) return 0;
  if (schedule.kind === 'interval') return Math.floor((toMs - fromMs) / schedule.periodMs);

  let count = 0;
  for (let next = schedule.cron.next(fromMs); next !== undefined && next <= toMs;) {
    if (++count === MAX_TICKS_COUNTED) break;
    next = schedule.cron.next(next);
  }
  return count;
}

/** The tick `steps` ticks after `fromMs`. */
function advance(schedule: Schedule, fromMs: number, steps: number): number {
  if (schedule.kind === 'interval') return fromMs + steps * schedule.periodMs;

  let tickMs = fromMs;
  for (let step = 0; step < steps; step++) tickMs = schedule.cron.next(tickMs) ?? tickMs;
  return tickMs;
}

function within(tickMs: number | undefined, endAtMs: number | undefined): number | undefined {
  if (tickMs === undefined || (endAtMs !== undefined && tickMs > endAtMs)) return undefined;
  return tickMs;
}
