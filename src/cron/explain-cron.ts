import { toInstantMs } from '../config/checks.js';
import { loadCron } from './compile-cron.js';
import { describeCron } from './describe-cron.js';
import { dstNote } from './dst-note.js';
import { offsetText, wallDateTime } from './wall-time-text.js';

/** A cron expression put into words, with notes on fire times that daylight saving moves. */
export interface CronExplanation {
  /** The expression as given. */
  readonly expression: string;
  /** The IANA zone it is read in. */
  readonly timezone: string;
  /** The expression in words, such as "at 02:30, on Monday to Friday". */
  readonly description: string;
  /** True when some date matches; `0 0 30 2 *` never fires. */
  readonly canFire: boolean;
  /**
   * Why a fire instant differs from the wall time the expression names, such as
   * "on 2021-03-14 at 03:00 because 02:30 does not exist (...)", or `undefined`.
   * @throws OrbitError `WRONG_TIME` for an invalid instant
   */
  noteFor(fireAt: Date | number): string | undefined;
  /**
   * The wall time of an instant in the zone, as `YYYY-MM-DD HH:MM:SS +HH:MM` (a year past
   * 9999 takes more digits). @throws OrbitError `WRONG_TIME` for an invalid instant
   */
  localTime(at: Date | number): string;
}

/**
 * Explains a cron expression read in a zone.
 *
 * @param timezone IANA zone. @default the process's local zone
 * @throws OrbitError `INVALID_CRON` or `INVALID_TIMEZONE` as {@link compileCron} does, except
 *   that an expression that can never fire is explained (with `canFire` false).
 */
export function explainCron(expression: string, timezone?: string): CronExplanation {
  const schedule = loadCron(expression, timezone);
  const description = describeCron(schedule.pattern);

  return Object.freeze({
    expression,
    timezone: schedule.timezone,
    description,
    canFire: schedule.canFire,
    noteFor: (fireAt: Date | number) => dstNote(schedule, toInstantMs(fireAt, 'fireAt')),
    localTime: (at: Date | number) => {
      const instant = Math.floor(toInstantMs(at, 'at') / 1000);
      const offset = schedule.offsets.offsetAt(instant);
      return `${wallDateTime(instant + offset)} ${offsetText(offset)}`;
    },
  });
}
