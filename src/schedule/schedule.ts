import type { CronSchedule } from '../cron/cron-schedule.js';
import type { MisfirePolicy } from '../job/job-config.js';

/** When a job falls due: a fixed period on a grid, or a compiled cron pattern. */
export type Schedule =
  | { readonly kind: 'interval'; readonly periodMs: number }
  | { readonly kind: 'cron'; readonly cron: CronSchedule };

/** The last instant a `Date` can hold; a schedule past it has no future. */
const LAST_INSTANT_MS = 8.64e15;

/**
 * The first due instant of a job that starts scheduling at `nowMs`.
 *
 * An interval job runs at `startAtMs`, or at once without one. When `startAtMs` is past,
 * its grid has ticks behind it: `'skip'` waits for the next one, while `'once'` and
 * `'all'` run the latest missed tick at once. A cron job fires at its first match after
 * `nowMs`, or at `startAtMs` if that matches.
 */
export function firstDue(
  schedule: Schedule,
  nowMs: number,
  startAtMs: number | undefined,
  misfire: MisfirePolicy,
): number | undefined {
  if (schedule.kind === 'cron') {
    const afterMs = startAtMs !== undefined && startAtMs > nowMs ? startAtMs - 1 : nowMs;
    return schedule.cron.next(afterMs);
  }

  if (startAtMs === undefined || startAtMs >= nowMs) return startAtMs ?? nowMs;

  const { periodMs } = schedule;
  const ticksBehind = Math.floor((nowMs - startAtMs) / periodMs);
  const latestTickMs = startAtMs + ticksBehind * periodMs;
  if (misfire !== 'skip' || latestTickMs === nowMs) return latestTickMs;
  return bounded(latestTickMs + periodMs);
}

/**
 * The due instant after a run that served `scheduledAtMs` and ended at `endedAtMs`.
 * Ticks that fell due during the run are skipped: an interval job keeps to its grid
 * and runs at the first grid instant after the run ended; a cron job at its first
 * match after that.
 */
export function nextDue(
  schedule: Schedule,
  scheduledAtMs: number,
  endedAtMs: number,
): number | undefined {
  const afterMs = Math.max(scheduledAtMs, endedAtMs);
  if (schedule.kind === 'cron') return schedule.cron.next(afterMs);

  const { periodMs } = schedule;
  const periods = Math.floor((afterMs - scheduledAtMs) / periodMs) + 1;
  return bounded(scheduledAtMs + periods * periodMs);
}

function bounded(dueMs: number): number | undefined {
  return dueMs <= LAST_INSTANT_MS ? dueMs : undefined;
}
