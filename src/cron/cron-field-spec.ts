/** The name a cron field goes by in error messages and descriptions. */
export type CronFieldName = 'second' | 'minute' | 'hour' | 'day-of-month' | 'month' | 'day-of-week';

/** What a cron field accepts. */
export interface CronFieldSpec {
  readonly name: CronFieldName;
  /** Smallest value. */
  readonly min: number;
  /** Largest value written by users (7 in day-of-week, an alias of Sunday). */
  readonly max: number;
  /** Upper-case names accepted in place of numbers. */
  readonly names: Readonly<Record<string, number>>;
}

const NO_NAMES: Readonly<Record<string, number>> = Object.freeze({});

/** Upper-case month names, January = 1. */
export const MONTH_NAMES: Readonly<Record<string, number>> = Object.freeze({
  JAN: 1,
  FEB: 2,
  MAR: 3,
  APR: 4,
  MAY: 5,
  JUN: 6,
  JUL: 7,
  AUG: 8,
  SEP: 9,
  OCT: 10,
  NOV: 11,
  DEC: 12,
});

/** Upper-case weekday names, Sunday = 0. */
export const WEEKDAY_NAMES: Readonly<Record<string, number>> = Object.freeze({
  SUN: 0,
  MON: 1,
  TUE: 2,
  WED: 3,
  THU: 4,
  FRI: 5,
  SAT: 6,
});

/** The six fields in the order a six-field expression writes them. */
export const FIELD_SPECS = {
  second: { name: 'second', min: 0, max: 59, names: NO_NAMES },
  minute: { name: 'minute', min: 0, max: 59, names: NO_NAMES },
  hour: { name: 'hour', min: 0, max: 23, names: NO_NAMES },
  dayOfMonth: { name: 'day-of-month', min: 1, max: 31, names: NO_NAMES },
  month: { name: 'month', min: 1, max: 12, names: MONTH_NAMES },
  dayOfWeek: { name: 'day-of-week', min: 0, max: 7, names: WEEKDAY_NAMES },
} as const satisfies Record<string, CronFieldSpec>;
