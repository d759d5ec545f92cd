import type { CronPattern } from './cron-pattern.js';
import type { CronSchedule } from './cron-schedule.js';
import { canEverMatch } from './day-matcher.js';
import { nextFireSecond } from './next-fire.js';
import { FIRST_SECOND, LAST_SECOND, type ZoneOffsets } from './zone-offsets.js';

/**
 * A cron expression compiled for one zone: a frozen pattern of bit masks plus a pointer to
 * the zone's shared offset table. Nothing in it changes after construction.
 */
export class CompiledCron implements CronSchedule {
  readonly expression: string;
  readonly timezone: string;
  /** The parsed fields. */
  readonly pattern: CronPattern;
  /** The zone's shared offset table. */
  readonly offsets: ZoneOffsets;
  /** False for a pattern that matches no date at all, such as 30 February. */
  readonly canFire: boolean;

  // The latest answer of `next`. Every job with this expression and zone shares this
  // object, and jobs due together ask about the same second one after the other, so one
  // remembered answer spares all but the first of them the search. The answer depends on
  // nothing but the second asked about, so it is never stale. (Private fields stay
  // writable on a frozen object.)
  #askedSecond = Number.NaN;
  #answerMs = Number.NaN;

  constructor(expression: string, timezone: string, pattern: CronPattern, offsets: ZoneOffsets) {
    this.expression = expression;
    this.timezone = timezone;
    this.pattern = pattern;
    this.offsets = offsets;
    this.canFire = canEverMatch(pattern);
    Object.freeze(this);
  }

  next(afterMs: number): number | undefined {
    if (!this.canFire || Number.isNaN(afterMs)) return undefined;

    const afterSecond = Math.max(Math.floor(afterMs / 1000), FIRST_SECOND - 1);
    if (afterSecond === this.#askedSecond) return this.#answerMs;
    if (afterSecond >= LAST_SECOND) return undefined;

    const fireSecond = nextFireSecond(this.pattern, this.offsets, afterSecond);
    if (fireSecond === undefined) return undefined;

    this.#askedSecond = afterSecond;
    this.#answerMs = fireSecond * 1000;
    return this.#answerMs;
  }
}
