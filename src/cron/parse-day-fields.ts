import { FIELD_SPECS } from './cron-field-spec.js';
import type { DayPattern } from './cron-pattern.js';
import { fieldError } from './cron-syntax-error.js';
import { markItem, parseValue, toCanonical } from './parse-field-item.js';
import { packMask } from './parse-time-field.js';

type DayOfMonthPart = Pick<
  DayPattern,
  'daysOfMonth' | 'daysBeforeLast' | 'nearestWeekdays' | 'hasLastWeekday'
>;
type DayOfWeekPart = Pick<DayPattern, 'daysOfWeek' | 'nthWeekdays' | 'lastWeekdays'>;

const DAY_OF_MONTH = FIELD_SPECS.dayOfMonth;
const DAY_OF_WEEK = FIELD_SPECS.dayOfWeek;
const EMPTY: readonly number[] = Object.freeze([]);
const MAX_NTH = 5;

/**
 * Reads the day-of-month field: days, ranges, steps, `?`, and `L`, `L-N`, `LW`, `dW`.
 *
 * @throws OrbitError `INVALID_CRON` naming the field.
 */
export function parseDayOfMonth(text: string): DayOfMonthPart {
  const allowed: boolean[] = [];
  const daysBeforeLast: number[] = [];
  const nearestWeekdays: number[] = [];
  let hasLastWeekday = false;

  for (const item of splitItems(text, DAY_OF_MONTH.name)) {
    if (item === '?' || item === '*') markItem(DAY_OF_MONTH, text, '*', allowed);
    else if (item === 'LW') hasLastWeekday = true;
    else if (item === 'L') daysBeforeLast.push(0);
    else if (item.startsWith('L-')) daysBeforeLast.push(parseDaysBeforeLast(text, item));
    else if (item.endsWith('W'))
      nearestWeekdays.push(parseValue(DAY_OF_MONTH, text, item.slice(0, -1)));
    else markItem(DAY_OF_MONTH, text, item, allowed);
  }

  return {
    daysOfMonth: packMask(allowed, 1, 31),
    daysBeforeLast: frozenOrEmpty(daysBeforeLast),
    nearestWeekdays: frozenOrEmpty(nearestWeekdays),
    hasLastWeekday,
  };
}

/**
 * Reads the day-of-week field: weekdays 0-7 (0 and 7 are Sunday) or names, ranges,
 * steps, `?`, `w#n` (the n-th weekday w) and `wL` (the last weekday w of the month).
 *
 * @throws OrbitError `INVALID_CRON` naming the field.
 */
export function parseDayOfWeek(text: string): DayOfWeekPart {
  const allowed: boolean[] = [];
  const nthWeekdays: number[] = [];
  let lastWeekdays = 0;

  for (const item of splitItems(text, DAY_OF_WEEK.name)) {
    if (item === '?' || item === '*') markItem(DAY_OF_WEEK, text, '*', allowed);
    else if (item.includes('#')) nthWeekdays.push(parseNthWeekday(text, item));
    else if (item.endsWith('L')) lastWeekdays |= 1 << parseLastWeekday(text, item);
    else markItem(DAY_OF_WEEK, text, item, allowed);
  }

  return {
    daysOfWeek: packMask(allowed, 0, 6),
    nthWeekdays: frozenOrEmpty(nthWeekdays),
    lastWeekdays,
  };
}

/** True when a day field counts as unrestricted for ISC cron's day rule. */
export function isWildcardDayField(text: string): boolean {
  return text.startsWith('*') || text === '?';
}

function splitItems(text: string, field: typeof DAY_OF_MONTH.name | typeof DAY_OF_WEEK.name) {
  const items = text.toUpperCase().split(',');
  if (items.includes('?') && items.length > 1) {
    throw fieldError(field, text, "'?' must stand alone");
  }
  return items;
}

function parseDaysBeforeLast(text: string, item: string): number {
  const offsetText = item.slice(2);
  if (!/^\d{1,2}$/.test(offsetText) || Number(offsetText) > 30) {
    throw fieldError(DAY_OF_MONTH.name, text, `'${item}' needs a number of days 0-30 after L-`);
  }
  return Number(offsetText);
}

function parseNthWeekday(text: string, item: string): number {
  const [weekdayText = '', nthText = ''] = item.split('#');
  const weekday = toCanonical(DAY_OF_WEEK, parseValue(DAY_OF_WEEK, text, weekdayText));
  if (!/^\d$/.test(nthText) || Number(nthText) < 1 || Number(nthText) > MAX_NTH) {
    throw fieldError(DAY_OF_WEEK.name, text, `'${item}' needs an occurrence 1-${MAX_NTH} after #`);
  }
  return weekday * 8 + Number(nthText);
}

function parseLastWeekday(text: string, item: string): number {
  const weekdayText = item.slice(0, -1);
  if (weekdayText === '') {
    throw fieldError(DAY_OF_WEEK.name, text, "'L' needs a weekday before it, such as 5L");
  }
  return toCanonical(DAY_OF_WEEK, parseValue(DAY_OF_WEEK, text, weekdayText));
}

function frozenOrEmpty(values: number[]): readonly number[] {
  return values.length === 0 ? EMPTY : Object.freeze([...new Set(values)].sort((a, b) => a - b));
}
