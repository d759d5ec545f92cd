/**
 * A parsed cron expression, as bit masks: a few small integers, the same for every zone.
 * Bit `v` of a time mask means value `v` is allowed; 60-value fields are split into a low
 * mask (values 0-29) and a high mask (values 30-59, as bits 0-29).
 */
export interface CronPattern {
  readonly secondsLow: number;
  readonly secondsHigh: number;
  readonly minutesLow: number;
  readonly minutesHigh: number;
  /** Bits 0-23. */
  readonly hours: number;
  /** Bit `m - 1` for month `m`. */
  readonly months: number;
  readonly days: DayPattern;
  /**
   * True when neither the minute nor the hour field is a wildcard or a step. Such a job
   * fires once at the end of a daylight-saving gap its wall time falls in, and only at the
   * first of two repeated wall times; a wildcard job follows the wall clock as it is.
   */
  readonly isFixedTime: boolean;
}

/** The day-of-month and day-of-week fields, and how they combine. */
export interface DayPattern {
  /** Bit `d - 1` for each plain day `d` (`*` sets them all). */
  readonly daysOfMonth: number;
  /** `N` of each `L-N` (`L` alone is 0): N days before the last day. */
  readonly daysBeforeLast: readonly number[];
  /** Each `dW`: the Monday-to-Friday day nearest to day `d`, within the month. */
  readonly nearestWeekdays: readonly number[];
  /** `LW`: the last Monday-to-Friday day of the month. */
  readonly hasLastWeekday: boolean;
  /** Bit `w` for each weekday `w` (0 is Sunday). */
  readonly daysOfWeek: number;
  /** Each `w#n`, encoded `w * 8 + n`: the n-th weekday `w` of the month. */
  readonly nthWeekdays: readonly number[];
  /** Bit `w` for each `wL`: the last weekday `w` of the month. */
  readonly lastWeekdays: number;
  /**
   * ISC cron's rule: when either field starts with `*` (or `?`), a day must match both;
   * when both are restricted, matching either is enough.
   */
  readonly mustMatchBoth: boolean;
}
