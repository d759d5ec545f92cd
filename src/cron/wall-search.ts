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
 * The first wall time at or after `fromWall` that the pattern matches, or `undefined` when
 * there is none up to `lastWall`. Wall times are seconds since 1970-01-01T00:00 of the wall clock
 * (local time read as if it were UTC); zones play no part here.
 *
 * The search jumps field by field: a month that does not match is skipped whole, then a
 * day, an hour, a minute. It never steps through seconds or minutes one by one.
 */
export function nextMatchingWall(
  pattern: CronPattern,
  fromWall: number,
  lastWall: number,
): number | undefined {
  const cursor = new WallCursor(fromWall);
  const lastYear = civilFromDays(Math.floor(lastWall / SECONDS_PER_DAY)).year;

  while (cursor.year <= lastYear) {
    if (!cursor.settleMonth(pattern.months)) continue;
    if (!cursor.settleDay(pattern)) continue;
    if (!cursor.settleHour(pattern.hours)) continue;
    if (!cursor.settleMinute(pattern.minutesLow, pattern.minutesHigh)) continue;
    if (!cursor.settleSecond(pattern.secondsLow, pattern.secondsHigh)) continue;

    const wall = cursor.toWall();
    return wall <= lastWall ? wall : undefined;
  }
  return undefined;
}

/**
 * A wall date and time being moved forward to a match. Each `settle` step moves its field
 * to the next allowed value and returns true, or, when the field has none left, carries
 * into the larger field, resets the smaller ones and returns false to start over.
 */
class WallCursor {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;

  constructor(wall: number) {
    const days = Math.floor(wall / SECONDS_PER_DAY);
    const secondOfDay = wall - days * SECONDS_PER_DAY;
    const { year, month, day } = civilFromDays(days);

    this.year = year;
    this.month = month;
    this.day = day;
    this.hour = Math.floor(secondOfDay / 3600);
    this.minute = Math.floor(secondOfDay / 60) % 60;
    this.second = secondOfDay % 60;
  }

  settleMonth(months: number): boolean {
    const index = nextBit(months, this.month - 1);
    if (index === this.month - 1) return true;

    if (index < 0) this.year += 1;
    this.month = (index < 0 ? nextBit(months, 0) : index) + 1;
    this.#startDay(1);
    return false;
  }

  settleDay(pattern: CronPattern): boolean {
    const firstWeekday = weekdayOfDays(daysFromCivil(this.year, this.month, 1));
    const days = matchingDays(pattern.days, firstWeekday, daysInMonth(this.year, this.month));
    const index = nextBit(days, this.day - 1);

    if (index < 0) {
      if (this.month === 12) this.year += 1;
      this.month = (this.month % 12) + 1;
      this.#startDay(1);
      return false;
    }
    if (index !== this.day - 1) this.#startDay(index + 1);
    return true;
  }

  settleHour(hours: number): boolean {
    const hour = nextBit(hours, this.hour);
    if (hour < 0) {
      this.#startDay(this.day + 1);
      return false;
    }
    if (hour !== this.hour) this.#startHour(hour);
    return true;
  }

  settleMinute(low: number, high: number): boolean {
    const minute = nextOfSixty(low, high, this.minute);
    if (minute < 0) {
      this.#startHour(this.hour + 1);
      return false;
    }
    if (minute !== this.minute) this.#startMinute(minute);
    return true;
  }

  settleSecond(low: number, high: number): boolean {
    const second = nextOfSixty(low, high, this.second);
    if (second < 0) {
      this.#startMinute(this.minute + 1);
      return false;
    }
    this.second = second;
    return true;
  }

  toWall(): number {
    const days = daysFromCivil(this.year, this.month, this.day);
    return days * SECONDS_PER_DAY + this.hour * 3600 + this.minute * 60 + this.second;
  }

  /** Day numbers past the month's end are fine: the day step finds no match and carries. */
  #startDay(day: number): void {
    this.day = day;
    this.#startHour(0);
  }

  #startHour(hour: number): void {
    this.hour = hour;
    this.#startMinute(0);
  }

  #startMinute(minute: number): void {
    this.minute = minute;
    this.second = 0;
  }
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
