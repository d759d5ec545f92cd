import { bit, bitIndexes, lowBits, nextBit } from './bit-mask.js';
import type { CronPattern, DayPattern } from './cron-pattern.js';

const WEEK_PATTERN_BITS = 0x7f;
const MONTH_LENGTHS: readonly (readonly number[])[] = [
  [31],
  [28, 29],
  [31],
  [30],
  [31],
  [30],
  [31],
  [31],
  [30],
  [31],
  [30],
  [31],
];

/**
 * The days of one month that the pattern allows, as a mask (bit `d - 1` for day `d`).
 * A month is fully described by the weekday of its 1st and its length.
 *
 * @param firstWeekday weekday of the 1st, 0 (Sunday) to 6.
 * @param length days in the month, 28 to 31.
 */
export function matchingDays(days: DayPattern, firstWeekday: number, length: number): number {
  const byMonthDay = dayOfMonthMask(days, firstWeekday, length);
  const byWeekday = dayOfWeekMask(days, firstWeekday, length);
  const combined = days.mustMatchBoth ? byMonthDay & byWeekday : byMonthDay | byWeekday;

  return (combined & lowBits(length)) >>> 0;
}

/**
 * True when some day of some month can match. The Gregorian calendar starts every month
 * on every weekday, and February with both lengths, so trying those shapes is enough.
 */
export function canEverMatch(pattern: CronPattern): boolean {
  for (const monthIndex of bitIndexes(pattern.months)) {
    for (const length of MONTH_LENGTHS[monthIndex] ?? []) {
      for (let firstWeekday = 0; firstWeekday < 7; firstWeekday += 1) {
        if (matchingDays(pattern.days, firstWeekday, length) !== 0) return true;
      }
    }
  }
  return false;
}

function dayOfMonthMask(days: DayPattern, firstWeekday: number, length: number): number {
  let mask = days.daysOfMonth;

  for (const daysBefore of days.daysBeforeLast) {
    if (daysBefore < length) mask |= bit(length - daysBefore - 1);
  }
  for (const day of days.nearestWeekdays) {
    if (day <= length) mask |= bit(nearestWeekday(day, firstWeekday, length) - 1);
  }
  if (days.hasLastWeekday) mask |= bit(nearestWeekday(length, firstWeekday, length) - 1);

  return mask;
}

function dayOfWeekMask(days: DayPattern, firstWeekday: number, length: number): number {
  // Rotate so that bit i stands for the weekday of day i + 1, then repeat it weekly.
  const week =
    ((days.daysOfWeek >>> firstWeekday) | (days.daysOfWeek << (7 - firstWeekday))) &
    WEEK_PATTERN_BITS;
  let mask = week | (week << 7) | (week << 14) | (week << 21) | (week << 28);

  for (const code of days.nthWeekdays) {
    const day = firstDayOnWeekday(code >> 3, firstWeekday) + 7 * ((code & 7) - 1);
    if (day <= length) mask |= bit(day - 1);
  }

  const lastWeekday = (firstWeekday + length - 1) % 7;
  for (let weekday = nextBit(days.lastWeekdays, 0); weekday >= 0;) {
    mask |= bit(length - ((lastWeekday - weekday + 7) % 7) - 1);
    weekday = nextBit(days.lastWeekdays, weekday + 1);
  }

  return mask;
}

function firstDayOnWeekday(weekday: number, firstWeekday: number): number {
  return 1 + ((weekday - firstWeekday + 7) % 7);
}

/** The Monday-to-Friday day nearest to `day`, without leaving the month. */
function nearestWeekday(day: number, firstWeekday: number, length: number): number {
  const weekday = (firstWeekday + day - 1) % 7;
  if (weekday === 6) return day === 1 ? 3 : day - 1;
  if (weekday === 0) return day === length ? day - 2 : day + 1;
  return day;
}
