import { nextBit } from './bit-mask.js';
import {
  civilFromDays,
  daysFromCivil,
  daysInMonth,
  SECONDS_PER_DAY,
  weekdayOfDays,
} from './civil-calendar.js';
import type { CronPattern } from './cron-pattern.js';
import { matchingDays } from './day-matcher.js';

const HALF_MINUTE = 30;

/**
 * The first wall time at or after `fromWall` that the pattern matches, or -1 when there is
 * none up to `lastWall`. Wall times are seconds since 1970-01-01T00:00 of the wall clock
 * (local time read as if it were UTC); zones play no part here.
 *
 * The search jumps field by field: a month that does not match is skipped whole, then a
 * day, an hour, a minute. It never steps through seconds or minutes one by one.
 */
export function nextMatchingWall(pattern: CronPattern, fromWall: number, lastWall: number): number {
  const startDays = Math.floor(fromWall / SECONDS_PER_DAY);
  const secondOfDay = fromWall - startDays * SECONDS_PER_DAY;
  const start = civilFromDays(startDays);
  const lastYear = civilFromDays(Math.floor(lastWall / SECONDS_PER_DAY)).year;

  let { year, month, day } = start;
  let hour = Math.floor(secondOfDay / 3600);
  let minute = Math.floor((secondOfDay % 3600) / 60);
  let second = secondOfDay % 60;

  while (year <= lastYear) {
    const nextMonthIndex = nextBit(pattern.months, month - 1);
    if (nextMonthIndex !== month - 1) {
      if (nextMonthIndex < 0) year += 1;
      month = nextMonthIndex < 0 ? nextBit(pattern.months, 0) + 1 : nextMonthIndex + 1;
      day = 1;
      hour = minute = second = 0;
      continue;
    }

    const days = matchingDaysOf(pattern, year, month);
    const dayIndex = nextBit(days, day - 1);
    if (dayIndex < 0) {
      [year, month] = month === 12 ? [year + 1, 1] : [year, month + 1];
      day = 1;
      hour = minute = second = 0;
      continue;
    }
    if (dayIndex !== day - 1) {
      day = dayIndex + 1;
      hour = minute = second = 0;
    }

    const nextHour = nextBit(pattern.hours, hour);
    if (nextHour < 0) {
      day += 1;
      hour = minute = second = 0;
      continue;
    }
    if (nextHour !== hour) {
      hour = nextHour;
      minute = second = 0;
    }

    const nextMinute = nextOfSixty(pattern.minutesLow, pattern.minutesHigh, minute);
    if (nextMinute < 0) {
      hour += 1;
      minute = second = 0;
      continue;
    }
    if (nextMinute !== minute) {
      minute = nextMinute;
      second = 0;
    }

    const nextSecond = nextOfSixty(pattern.secondsLow, pattern.secondsHigh, second);
    if (nextSecond < 0) {
      minute += 1;
      second = 0;
      continue;
    }

    const wall = daysFromCivil(year, month, day) * SECONDS_PER_DAY + hour * 3600 + minute * 60;
    const found = wall + nextSecond;
    return found <= lastWall ? found : -1;
  }
  return -1;
}

function matchingDaysOf(pattern: CronPattern, year: number, month: number): number {
  const firstWeekday = weekdayOfDays(daysFromCivil(year, month, 1));
  return matchingDays(pattern.days, firstWeekday, daysInMonth(year, month));
}

/** The next allowed value of a 0-59 field split into two masks, or -1. */
function nextOfSixty(low: number, high: number, from: number): number {
  if (from < HALF_MINUTE) {
    const inLow = nextBit(low, from);
    if (inLow >= 0) return inLow;
  }

  const inHigh = nextBit(high, Math.max(from - HALF_MINUTE, 0));
  return inHigh < 0 ? -1 : inHigh + HALF_MINUTE;
}
