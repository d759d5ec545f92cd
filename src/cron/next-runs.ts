import {
  invalidConfig,
  isPlainObject,
  refuseUnknownKeys,
  shown,
  toInstantMs,
} from '../config/checks.js';
import { OrbitError } from '../errors/orbit-error.js';
import { loadCron } from './compile-cron.js';

/** Options of {@link nextRuns}. */
export interface NextRunsOptions {
  /** Fire times are strictly after this instant. @default now */
  from?: Date | number;
  /** IANA zone the expression is read in. @default the process's local zone */
  timezone?: string;
  /** How many fire times to return, 0 to 10,000. @default 5 */
  count?: number;
}

const DEFAULT_COUNT = 5;
const MAX_COUNT = 10_000;
const OPTION_KEYS: ReadonlySet<string> = new Set(['from', 'timezone', 'count']);

/**
 * The next `count` fire instants of a cron expression strictly after `from`, exactly as a
 * job with that `cron` and `timezone` would fire. An expression that can never fire (such
 * as `0 0 30 2 *`) gives `[]`.
 *
 * @throws OrbitError `INVALID_CRON` for an expression that cannot be parsed, naming the field.
 * @throws OrbitError `INVALID_TIMEZONE` for an unknown zone.
 * @throws OrbitError `WRONG_TIME` when `from` is not a valid instant.
 * @throws OrbitError `INVALID_CONFIG` when `count` is not a whole number from 0 to 10,000,
 * and for an option it does not know.
 * @example
 * nextRuns('0 9 * * MON-FRI', { timezone: 'Europe/Paris', count: 3 });
 */
export function nextRuns(expression: string, options: NextRunsOptions = {}): Date[] {
  checkOptionKeys(options);
  const schedule = loadCron(expression, options.timezone);
  const count = checkedCount(options.count ?? DEFAULT_COUNT);
  const runs: Date[] = [];

  let cursorMs = toInstantMs(options.from ?? Date.now(), 'from');
  while (runs.length < count) {
    const nextMs = schedule.next(cursorMs);
    if (nextMs === undefined) break;

    runs.push(new Date(nextMs));
    cursorMs = nextMs;
  }
  return runs;
}

function checkOptionKeys(options: unknown): void {
  if (!isPlainObject(options)) throw invalidConfig('nextRuns options', 'an object', options);
  refuseUnknownKeys(options, OPTION_KEYS, 'nextRuns');
}

function checkedCount(count: unknown): number {
  if (typeof count !== 'number' || !Number.isInteger(count) || count < 0 || count > MAX_COUNT) {
    throw new OrbitError(
      'INVALID_CONFIG',
      `count must be a whole number from 0 to ${MAX_COUNT}; got ${shown(count)}`,
    );
  }
  return count;
}
