import { createWallClockFormatter } from '../../../src/cron/wall-clock-formatter.js';

/**
 * The wall clock of a zone at an instant, straight from `Intl`, with no caching: slow and
 * plainly right, for reference checks.
 */
const formatters = new Map<string, Intl.DateTimeFormat>();

/** Wall time at `instantMs` in `zone`, as epoch milliseconds of the same UTC fields. */
export function wallMsAt(zone: string, instantMs: number): number {
  const [month = 0, day = 0, year = 0, hour = 0, minute = 0, second = 0] = (
    formatterFor(zone).format(instantMs).match(/\d+/g) ?? []
  ).map(Number);
  const wall = new Date(0);
  wall.setUTCFullYear(year, month - 1, day);
  wall.setUTCHours(hour, minute, second, 0);
  return wall.getTime();
}

/** Instants in [startMs, endMs) at which the zone's offset changes (to the minute). */
export function offsetChanges(zone: string, startMs: number, endMs: number): number[] {
  const changes: number[] = [];
  const dayMs = 86_400_000;
  const offsetAt = (instantMs: number) => wallMsAt(zone, instantMs) - instantMs;

  for (let dayStart = startMs; dayStart < endMs; dayStart += dayMs) {
    if (offsetAt(dayStart) === offsetAt(dayStart + dayMs)) continue;

    let low = dayStart;
    let high = dayStart + dayMs;
    while (high - low > 60_000) {
      const middle = low + Math.floor((high - low) / 120_000) * 60_000;
      if (offsetAt(middle) === offsetAt(low)) low = middle;
      else high = middle;
    }
    changes.push(high);
  }
  return changes;
}

function formatterFor(zone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(zone);
  if (formatter === undefined) {
    formatter = createWallClockFormatter(zone);
    formatters.set(zone, formatter);
  }
  return formatter;
}
