import { invalidConfig, isPlainObject, refuseUnknownKeys } from '../../config/checks.js';
import { parseDuration, type Duration } from '../../time/duration.js';
import { resolveHistoryLimit } from '../memory-store.js';

/** What Orbit's table names start with unless a store is told otherwise. */
export const DEFAULT_TABLE_PREFIX = 'orbit_';

/** Options of `SqliteStore`. */
export interface SqliteStoreOptions {
  /** The database file; created when missing. `':memory:'` keeps it in memory (tests). */
  path: string;
  /**
   * Put before the name of every table Orbit creates, so Orbit can share a database.
   * Letters, digits and `_`. @default 'orbit_'
   */
  tablePrefix?: string;
  /** Runs kept per job in the history. @default 100 */
  historyLimit?: number;
  /**
   * How long a call waits for another connection's write lock before it fails with
   * `STORE_UNAVAILABLE`. The wait blocks the event loop, so keep it short. @default 250 ms
   */
  busyTimeout?: Duration;
}

/** The options, checked and with defaults filled in. */
export interface ResolvedSqliteOptions {
  readonly path: string;
  readonly tablePrefix: string;
  readonly historyLimit: number;
  readonly busyTimeoutMs: number;
}

const OPTION_KEYS = new Set(['path', 'tablePrefix', 'historyLimit', 'busyTimeout']);
const PREFIX_PATTERN = /^[A-Za-z_][A-Za-z0-9_]{0,30}$/;

/** @throws OrbitError `INVALID_CONFIG` or `INVALID_DURATION` */
export function resolveSqliteOptions(options: unknown): ResolvedSqliteOptions {
  if (!isPlainObject(options)) throw invalidConfig('SqliteStore options', 'an object', options);
  refuseUnknownKeys(options, OPTION_KEYS, 'SqliteStore options');

  const { path, tablePrefix = DEFAULT_TABLE_PREFIX, historyLimit, busyTimeout = 250 } = options;
  if (typeof path !== 'string' || path.trim() === '') {
    throw invalidConfig('path', 'the path of a database file', path);
  }
  if (
    typeof tablePrefix !== 'string' ||
    (tablePrefix !== '' && !PREFIX_PATTERN.test(tablePrefix))
  ) {
    throw invalidConfig('tablePrefix', 'letters, digits and _ (not first a digit)', tablePrefix);
  }

  return Object.freeze({
    path,
    tablePrefix,
    historyLimit: resolveHistoryLimit(historyLimit, 100),
    busyTimeoutMs: parseDuration(busyTimeout, 'busyTimeout'),
  });
}
