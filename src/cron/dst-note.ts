import type { CompiledCron } from './compiled-cron.js';
import { nextMatchingWall } from './wall-search.js';
import { offsetText, wallClock, wallDate } from './wall-time-text.js';

/** Longest span a fall-back can repeat; as in the search, a day and a bit. */
const LONGEST_REPEAT_SECONDS = 26 * 3600;

/**
 * Why a fire instant of `schedule` is not simply "the wall time the pattern names", or
 * `undefined` when it is. Two cases: the clock jumped over the wall time (the job runs at
 * the jump), and the wall time happens twice as the clock goes back.
 */
export function dstNote(schedule: CompiledCron, fireMs: number): string | undefined {
  const instant = Math.floor(fireMs / 1000);
  const offset = schedule.offsets.offsetAt(instant);
  const wall = instant + offset;

  return nextMatchingWall(schedule.pattern, wall, wall) === wall
    ? repeatNote(schedule, instant, offset)
    : gapNote(schedule, instant, offset);
}

function gapNote(schedule: CompiledCron, instant: number, offset: number): string | undefined {
  const offsetBefore = schedule.offsets.offsetAt(instant - 1);
  if (offsetBefore >= offset) return undefined;

  const jumpFromWall = instant + offsetBefore;
  const wall = instant + offset;
  const missedWall = nextMatchingWall(schedule.pattern, jumpFromWall, wall - 1);
  if (missedWall === undefined) return undefined;

  return (
    `on ${wallDate(wall)} at ${wallClock(wall)} because ${wallClock(missedWall)} does not ` +
    `exist (clocks go forward from ${wallClock(jumpFromWall)} to ${wallClock(wall)})`
  );
}

function repeatNote(schedule: CompiledCron, instant: number, offset: number): string | undefined {
  const { offsets, pattern } = schedule;
  const wall = instant + offset;
  const happensTwice = `${wallClock(wall)} on ${wallDate(wall)} happens twice as clocks go back`;

  const backBefore = offsets.lastTransition(instant - LONGEST_REPEAT_SECONDS, instant);
  if (backBefore !== undefined) {
    const offsetBefore = offsets.offsetAt(backBefore - 1);
    if (offsetBefore > offset && wall < backBefore + offsetBefore) {
      return `${happensTwice}; this is the second time (UTC${offsetText(offset)})`;
    }
  }

  const backAfter = offsets.firstTransition(instant, instant + LONGEST_REPEAT_SECONDS);
  if (backAfter !== undefined) {
    const offsetAfter = offsets.offsetAt(backAfter);
    if (offsetAfter < offset && wall >= backAfter + offsetAfter) {
      const only = pattern.isFixedTime ? ', and the only run' : '';
      return `${happensTwice}; this is the first time (UTC${offsetText(offset)})${only}`;
    }
  }
  return undefined;
}
