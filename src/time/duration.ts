import { shown } from '../config/checks.js';
import { OrbitError } from '../errors/orbit-error.js';

/** Milliseconds as a number, or a string such as `'250ms'`, `'5s'`, `'1h30m'`, `'1d'`. */
export type Duration = number | string;

const UNIT_MS: Readonly<Record<string, number>> = {
  ms: 1,
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};

const MAX_DURATION_MS = 8.64e15;

const PART = /(\d+(?:\.\d+)?)(ms|s|m|h|d|w)/gy;

/**
 * Turns a {@link Duration} into milliseconds.
 *
 * @param option names the option in the error message, e.g. `'interval.time'`; a caller
 * that names none reads "duration".
 * @throws OrbitError `INVALID_DURATION` for a negative, non-finite or unparsable value, and
 * for a string whose units do not go from the largest down, each once (`'1m1h'`).
 */
export function parseDuration(value: unknown, option = 'duration'): number {
  if (typeof value === 'number') return checkedMs(value, value, option);
  if (typeof value !== 'string') throw invalid(option, value, 'a number or a duration string');

  const text = value.trim();
  if (/^\d+(?:\.\d+)?$/.test(text)) return checkedMs(Number(text), value, option);

  let totalMs = 0;
  // Units go from the largest to the smallest, each once: '1m1h' or '1s1s' is a slip.
  let lastUnitMs = Number.POSITIVE_INFINITY;
  PART.lastIndex = 0;
  while (PART.lastIndex < text.length) {
    const start = PART.lastIndex;
    const match = PART.exec(text);
    if (match === null || match.index !== start) break;
    const unitMs = UNIT_MS[match[2] ?? ''] ?? Number.NaN;
    if (!(unitMs < lastUnitMs)) {
      PART.lastIndex = 0;
      throw invalid(option, value, 'a duration whose units go from the largest down, each once');
    }
    lastUnitMs = unitMs;
    totalMs += Number(match[1]) * unitMs;
  }

  const consumedAll = text !== '' && PART.lastIndex === text.length;
  PART.lastIndex = 0;
  if (!consumedAll) throw invalid(option, value, "a duration such as '250ms', '5s' or '1h30m'");
  return checkedMs(totalMs, value, option);
}

/**
 * A {@link Duration} of at least a millisecond: a period, a timeout or a wait. Timers count
 * whole milliseconds, and a shorter period would not even move an epoch instant.
 * @throws OrbitError `INVALID_DURATION`
 */
export function parsePeriod(value: unknown, option: string): number {
  const ms = parseDuration(value, option);
  if (ms < 1) throw invalid(option, value, 'at least 1 ms');
  return ms;
}

function checkedMs(ms: number, given: unknown, option: string): number {
  if (!Number.isFinite(ms)) throw invalid(option, given, 'a finite number of milliseconds');
  if (ms < 0) throw invalid(option, given, 'zero or more milliseconds');
  // Beyond this no instant can be reached: a Date holds at most 8.64e15 ms either side.
  if (ms > MAX_DURATION_MS) throw invalid(option, given, `at most ${MAX_DURATION_MS} ms`);
  return ms;
}

function invalid(option: string, given: unknown, expected: string): OrbitError {
  return new OrbitError('INVALID_DURATION', `${option} must be ${expected}; got ${shown(given)}`);
}
