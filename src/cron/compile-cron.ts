import type { CronSchedule } from './cron-schedule.js';
import { CompiledCron } from './compiled-cron.js';
import { expressionError } from './cron-syntax-error.js';
import { LruCache } from './lru-cache.js';
import { parseCron } from './parse-cron.js';
import { localTimezone, zoneOffsetsFor } from './time-zones.js';

/** How many (expression, zone) pairs stay compiled; far more than distinct schedules in use. */
const CACHE_CAPACITY = 4096;
const cache = new LruCache<string, CompiledCron>(CACHE_CAPACITY);
/** The schedule {@link loadCron} gave last; it is also the cache's most recently used. */
let latest: { expression: string; zone: string; schedule: CompiledCron } | undefined;

/**
 * Compiles a cron expression for a zone into an immutable {@link CronSchedule}. The result
 * is cached: the same expression and zone give back the same object.
 *
 * @param timezone IANA zone the expression is read in. @default the process's local zone
 * @throws OrbitError `INVALID_CRON` when the expression cannot be parsed or can never fire
 *   (such as `0 0 30 2 *`); the message names the field and what is wrong with it.
 * @throws OrbitError `INVALID_TIMEZONE` when the zone is unknown.
 * @example
 * const schedule = compileCron('30 2 * * *', 'America/New_York');
 * schedule.next(Date.parse('2021-03-13T12:00:00-05:00')); // 2021-03-14T07:00:00Z (03:00 EDT)
 */
export function compileCron(expression: string, timezone?: string): CronSchedule {
  const schedule = loadCron(expression, timezone);
  if (!schedule.canFire) {
    throw expressionError(
      expression,
      'can never fire: no date matches its day-of-month, month and day-of-week fields',
    );
  }
  return schedule;
}

/**
 * Like {@link compileCron}, but also returns patterns that can never fire (their `next` is
 * always `undefined`), for callers such as `nextRuns` that answer "no runs" for them.
 */
export function loadCron(expression: string, timezone?: string): CompiledCron {
  const zone = timezone ?? localTimezone();
  // Jobs are mostly added in runs that share a schedule: the latest answer needs no key.
  if (latest?.expression === expression && latest.zone === zone) return latest.schedule;

  const key = `${zone}\n${expression}`;
  const schedule = cache.get(key) ?? compile(key, expression, zone);
  latest = { expression, zone, schedule };
  return schedule;
}

function compile(key: string, expression: string, zone: string): CompiledCron {
  const pattern = parseCron(expression);
  const schedule = new CompiledCron(expression, zone, pattern, zoneOffsetsFor(zone));
  cache.set(key, schedule);
  return schedule;
}
