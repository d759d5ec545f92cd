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

/** A run of consecutive due instants of one schedule. */
export interface DueSpan {
  readonly count: number;
  readonly firstMs: number;
  readonly lastMs: number;
}

/**
 * Counting the cron matches of a long span walks them one by one; past this many the
 * count stops, so a report about a run that overlapped a month of a per-second cron
 * says 10,000 rather than taking seconds to say 2.6 million.
 */
export const MAX_COUNTED_CRON_MATCHES = 10_000;

/**
 * The due instants in `(afterMs, untilMs]`, or `undefined` when there are none. An
 * interval grid is the one through `anchorMs`; a cron count stops at
 * {@link MAX_COUNTED_CRON_MATCHES}.
 */
export function dueInstantsIn(
  schedule: Schedule,
  anchorMs: number,
  afterMs: number,
  untilMs: number,
): DueSpan | undefined {
  if (untilMs <= afterMs) return undefined;
  if (schedule.kind === 'interval') return gridSpan(schedule.periodMs, anchorMs, afterMs, untilMs);

  let count = 0;
  let firstMs = 0;
  let lastMs = 0;
  for (let ms = schedule.cron.next(afterMs); ms !== undefined && ms <= untilMs;) {
    if (count === 0) firstMs = ms;
    lastMs = ms;
    if (++count === MAX_COUNTED_CRON_MATCHES) break;
    ms = schedule.cron.next(ms);
  }
  return count === 0 ? undefined : { count, firstMs, lastMs };
}

function gridSpan(
  periodMs: number,
  anchorMs: number,
  afterMs: number,
  untilMs: number,
): DueSpan | undefined {
  const first = Math.floor((afterMs - anchorMs) / periodMs) + 1;
  const last = Math.floor((untilMs - anchorMs) / periodMs);
  if (last < first) return undefined;
  return {
    count: last - first + 1,
    firstMs: anchorMs + first * periodMs,
    lastMs: anchorMs + last * periodMs,
  };
}
