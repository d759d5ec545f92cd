/**
 * The contract between the scheduler and the cron engine.
 *
 * A compiled pattern is immutable and shared: every job with the same expression and
 * zone holds the same object, so a cron job costs a pointer, not a table.
 */
export interface CronSchedule {
  /** The expression as given. */
  readonly expression: string;
  /** The IANA zone the expression is read in. */
  readonly timezone: string;
  /** The first fire instant strictly after `afterMs` (epoch ms), or `undefined` if none. */
  next(afterMs: number): number | undefined;
}
