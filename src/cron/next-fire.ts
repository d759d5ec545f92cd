import type { CronPattern } from './cron-pattern.js';
import { nextMatchingWall } from './wall-search.js';
import { LAST_SECOND, type ZoneOffsets } from './zone-offsets.js';

/**
 * How far ahead a search looks. A pattern that can fire at all fires within every 400-year
 * Gregorian cycle, so a search that finds nothing in 401 years never will.
 *
 * A wildcard job whose every match falls in a spring-forward gap walks all of it, one
 * offset segment at a time: slow once, while the zone's offsets for those years are
 * learned, and bounded. Recognising such patterns up front would need the zone's future
 * rules, which `Intl` does not expose.
 */
const SEARCH_HORIZON_SECONDS = 401 * 366 * 86_400;
/** Longest span a fall-back can repeat: the wall clock has gone back by at most a day. */
const LONGEST_REPEAT_SECONDS = 26 * 3600;

/**
 * The first fire instant strictly after `afterSecond` (epoch seconds), or `undefined`.
 *
 * The search walks the zone's offset segments. Inside a segment, wall time and UTC differ
 * by a constant, so the next matching wall time gives the candidate instant directly. If
 * the offset changes before that instant, the search continues from the transition:
 *
 * - a wildcard job restarts at the new segment's own wall time, so it skips the walls that
 *   a spring-forward gap removes and runs again through the walls a fall-back repeats;
 * - a fixed-time job continues at the wall time the old segment reached, so it runs once
 *   at the transition for a wall time in the gap and never runs a repeated wall time twice.
 */
export function nextFireSecond(
  pattern: CronPattern,
  zone: ZoneOffsets,
  afterSecond: number,
): number | undefined {
  let segmentStart = afterSecond + 1;
  let offset = zone.offsetAt(segmentStart);
  let fromWall = pattern.isFixedTime
    ? firstUnseenWall(zone, segmentStart, offset)
    : segmentStart + offset;
  const lastWall = Math.min(afterSecond + SEARCH_HORIZON_SECONDS, LAST_SECOND) + offset;

  for (;;) {
    const wall = nextMatchingWall(pattern, fromWall, lastWall);
    if (wall === undefined) return undefined;

    const instant = wall - offset;
    if (instant < segmentStart) return segmentStart;

    const transition = zone.firstTransition(segmentStart, instant);
    if (transition === undefined) return instant;

    const nextOffset = zone.offsetAt(transition);
    fromWall = pattern.isFixedTime ? transition + offset : transition + nextOffset;
    offset = nextOffset;
    segmentStart = transition;
  }
}

/**
 * The lowest wall time that no instant before `instant` has shown. Right after a
 * fall-back the clock repeats wall times already seen; a fixed-time job skips those.
 */
function firstUnseenWall(zone: ZoneOffsets, instant: number, offset: number): number {
  const transition = zone.lastTransition(instant - LONGEST_REPEAT_SECONDS, instant);
  if (transition === undefined) return instant + offset;

  return Math.max(instant + offset, transition + zone.offsetAt(transition - 1));
}
