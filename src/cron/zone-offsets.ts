import { daysFromCivil, SECONDS_PER_DAY } from './civil-calendar.js';
import { createWallClockFormatter } from './wall-clock-formatter.js';

/** Offsets are looked up per block of 2^25 s (about 388 days), built on first use. */
const BLOCK_SECONDS = 2 ** 25;
/**
 * Offsets are sampled every 3 days inside a block and each change is narrowed down to the
 * second. Two transitions can hide from the sampling only if they are under 3 days apart
 * and undo each other; the closest pairs in the time-zone database are 7 days apart.
 */
const SAMPLE_SECONDS = 3 * SECONDS_PER_DAY;
/** A zone forgets its blocks past this many, so a scan over centuries stays bounded. */
const MAX_BLOCKS = 2048;

/**
 * Earliest and latest instants (epoch seconds) the engine works with: years 1700 to 9999.
 * `Intl` shows dates before October 1582 in the Julian calendar, which the offset arithmetic
 * here does not read, and no zone has data that old anyway.
 */
export const FIRST_SECOND = daysFromCivil(1700, 1, 1) * SECONDS_PER_DAY;
export const LAST_SECOND = daysFromCivil(10_000, 1, 1) * SECONDS_PER_DAY - 1;

/**
 * The UTC offsets of one IANA zone, read from `Intl.DateTimeFormat` and kept as a small list
 * of transitions per block of time, so that a cron search costs no `Intl` call once a block
 * is known. Times here are epoch seconds; an offset is wall time minus UTC, in seconds.
 * One instance per zone is shared by every schedule in that zone.
 */
export class ZoneOffsets {
  /** The zone's IANA name. */
  readonly zone: string;
  readonly #formatter: Intl.DateTimeFormat;
  /** Per block index: `[offsetAtBlockStart, transition1, offsetAfter1, ...]`. */
  readonly #blocks = new Map<number, readonly number[]>();

  constructor(zone: string) {
    this.zone = zone;
    this.#formatter = createWallClockFormatter(zone);
  }

  /** The offset in force at `instant` (epoch seconds). */
  offsetAt(instant: number): number {
    const block = this.#block(Math.floor(instant / BLOCK_SECONDS));
    let offset = block[0] ?? 0;

    for (let index = 1; index < block.length; index += 2) {
      if ((block[index] ?? Infinity) > instant) break;
      offset = block[index + 1] ?? offset;
    }
    return offset;
  }

  /** The first instant in (`after`, `until`] at which the offset changes, or `undefined`. */
  firstTransition(after: number, until: number): number | undefined {
    const lastIndex = Math.floor(until / BLOCK_SECONDS);

    for (
      let blockIndex = Math.floor(after / BLOCK_SECONDS);
      blockIndex <= lastIndex;
      blockIndex += 1
    ) {
      const block = this.#block(blockIndex);
      for (let index = 1; index < block.length; index += 2) {
        const at = block[index] ?? Infinity;
        if (at > until) return undefined;
        if (at > after) return at;
      }
    }
    return undefined;
  }

  /** The last instant in (`after`, `until`] at which the offset changes, or `undefined`. */
  lastTransition(after: number, until: number): number | undefined {
    let last: number | undefined;
    for (
      let at = this.firstTransition(after, until);
      at !== undefined;
      at = this.firstTransition(at, until)
    ) {
      last = at;
    }
    return last;
  }

  #block(blockIndex: number): readonly number[] {
    const known = this.#blocks.get(blockIndex);
    if (known !== undefined) return known;

    if (this.#blocks.size >= MAX_BLOCKS) this.#blocks.clear();
    const block = this.#scanBlock(blockIndex * BLOCK_SECONDS);
    this.#blocks.set(blockIndex, block);
    return block;
  }

  /** Transitions in (start, start + BLOCK_SECONDS], after the offset at `start`. */
  #scanBlock(start: number): readonly number[] {
    const end = start + BLOCK_SECONDS;
    let offset = this.#readOffset(start);
    const block = [offset];

    for (let from = start; from < end; from += SAMPLE_SECONDS) {
      const to = Math.min(from + SAMPLE_SECONDS, end);
      const offsetAtEnd = this.#readOffset(to);

      let changeFrom = from;
      while (offset !== offsetAtEnd) {
        const at = this.#findChange(changeFrom, to, offset);
        offset = this.#readOffset(at);
        block.push(at, offset);
        changeFrom = at;
      }
    }
    return Object.freeze(block);
  }

  /** Narrows (`from`, `to`] down to the first second whose offset is not `offset`. */
  #findChange(from: number, to: number, offset: number): number {
    let low = from;
    let high = to;
    while (high - low > 1) {
      const middle = Math.floor((low + high) / 2);
      if (this.#readOffset(middle) === offset) low = middle;
      else high = middle;
    }
    return high;
  }

  /** Asks `Intl` for the wall time at `instant` and returns wall minus UTC, in seconds. */
  #readOffset(instant: number): number {
    const clamped = Math.min(Math.max(instant, FIRST_SECOND), LAST_SECOND);
    const text = this.#formatter.format(clamped * 1000);
    const [month = 0, day = 0, year = 0, hour = 0, minute = 0, second = 0] = (
      text.match(/\d+/g) ?? []
    ).map(Number);
    const wall = daysFromCivil(year, month, day) * SECONDS_PER_DAY + hour * 3600 + minute * 60;

    return wall + second - clamped;
  }
}
