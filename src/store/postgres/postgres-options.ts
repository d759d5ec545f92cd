import type pg from 'pg';
import { invalidConfig, isPlainObject, refuseUnknownKeys } from '../../config/checks.js';
import { OrbitError } from '../../errors/orbit-error.js';
import { parseDuration, type Duration } from '../../time/duration.js';
import { MAX_NODE_TIMER_MS } from '../../time/clock.js';
import { resolveHistoryLimit } from '../memory-store.js';
import { DEFAULT_SCHEMA, tableNames, type TableNames } from './schema-name.js';

/** Options of the PostgreSQL store. Give `connectionString` or `connection`. */
export interface PostgresStoreOptions {
  /** A libpq-style URL, e.g. `postgres://user@host:5432/db`. */
  connectionString?: string;
  /** `pg` connection settings, for what a URL cannot say (TLS, a password function). */
  connection?: pg.PoolConfig;
  /** The schema Orbit's tables live in; created if missing. @default 'orbit' */
  schema?: string;
  /**
   * How long a claimed run's lease lasts without a heartbeat. A process that dies loses
   * its runs (`RUN_LOST`) after about this long. 1 s to about 24 days. @default '30s'
   */
  leaseTtl?: Duration;
  /**
   * How often running jobs renew their leases: 100 ms or more, shorter than `leaseTtl`.
   * @default a third of `leaseTtl`
   */
  heartbeatInterval?: Duration;
  /** How long run records are kept after they finish. @default '7d' */
  historyRetention?: Duration;
  /** Connections this process opens for statements (one more listens). @default 8 */
  maxConnections?: number;
  /** Most run records kept per job, besides the time limit. @default no limit */
  historyLimit?: number;
}

/** The store's options, validated once, with defaults filled in. */
export interface ResolvedPostgresOptions {
  readonly connection: pg.PoolConfig;
  readonly tables: TableNames;
  readonly leaseTtlMs: number;
  readonly heartbeatIntervalMs: number;
  readonly historyRetentionMs: number;
  readonly maxConnections: number;
  readonly historyLimit: number | undefined;
}

/** How the store's connections name themselves in `pg_stat_activity`, unless told otherwise. */
export const APPLICATION_NAME = 'orbit-scheduler';

const OPTION_KEYS = new Set([
  'connectionString',
  'connection',
  'schema',
  'leaseTtl',
  'heartbeatInterval',
  'historyRetention',
  'maxConnections',
  'historyLimit',
]);

/** @throws OrbitError `INVALID_CONFIG` or `INVALID_DURATION` for bad options. */
export function resolvePostgresOptions(options: PostgresStoreOptions): ResolvedPostgresOptions {
  if (!isPlainObject(options)) throw invalidConfig('PostgresStore options', 'an object', options);
  refuseUnknownKeys(options, OPTION_KEYS, 'PostgresStore options');

  const leaseTtlMs = boundedMs(options.leaseTtl ?? '30s', 'leaseTtl', MIN_LEASE_MS);
  const heartbeatIntervalMs = boundedMs(
    options.heartbeatInterval ?? leaseTtlMs / 3,
    'heartbeatInterval',
    MIN_HEARTBEAT_MS,
  );
  if (heartbeatIntervalMs >= leaseTtlMs) {
    throw invalidConfig(
      'heartbeatInterval',
      `shorter than leaseTtl (${leaseTtlMs} ms)`,
      heartbeatIntervalMs,
    );
  }

  return Object.freeze({
    connection: resolveConnection(options),
    tables: tableNames(options.schema === undefined ? DEFAULT_SCHEMA : options.schema),
    leaseTtlMs,
    heartbeatIntervalMs,
    historyRetentionMs: parseDuration(options.historyRetention ?? '7d', 'historyRetention'),
    maxConnections: wholeNumber(options.maxConnections ?? 8, 'maxConnections'),
    historyLimit:
      options.historyLimit === undefined
        ? undefined
        : resolveHistoryLimit(options.historyLimit, Infinity),
  });
}

function resolveConnection(options: PostgresStoreOptions): pg.PoolConfig {
  const { connectionString, connection } = options;
  if (connection !== undefined && !isPlainObject(connection)) {
    throw invalidConfig('connection', 'an object of pg settings', connection);
  }
  if (connectionString !== undefined && typeof connectionString !== 'string') {
    throw invalidConfig('connectionString', 'a string', connectionString);
  }
  // pg reads anything else as a path relative to a made-up host, and looks that host up.
  // The string itself stays out of the message: it may hold a password.
  checkConnectionString('connectionString', connectionString);
  checkConnectionString('connection.connectionString', connection?.connectionString);
  if (connectionString === undefined && connection === undefined) {
    throw new OrbitError('INVALID_CONFIG', 'PostgresStore needs connectionString or connection');
  }
  // pg throws a port out of range from inside its connect path, where no caller hears it.
  const port = connection?.port;
  const portNumber = typeof port === 'string' && port.trim() === '' ? Number.NaN : Number(port);
  if (port != null && !(Number.isInteger(portNumber) && portNumber >= 1 && portNumber <= 65_535)) {
    throw invalidConfig('connection.port', 'a TCP port from 1 to 65535', port);
  }
  // pg fails on these only when it connects, with a TypeError of its own.
  for (const key of ['host', 'user', 'database'] as const) {
    const value = connection?.[key];
    if (value != null && typeof value !== 'string') {
      throw invalidConfig(`connection.${key}`, 'a string', value);
    }
  }
  for (const key of PG_MS_SETTINGS) {
    const value = connection?.[key];
    if (value != null && value !== false && (typeof value !== 'number' || !(value >= 0))) {
      throw invalidConfig(
        `connection.${key}`,
        'a number of milliseconds, 0 or more, or false',
        value,
      );
    }
  }
  const ssl = connection?.ssl;
  if (ssl != null && typeof ssl !== 'boolean' && !isPlainObject(ssl)) {
    throw invalidConfig('connection.ssl', 'true, false or an object of TLS options', ssl);
  }
  const password = connection?.password;
  if (password != null && typeof password !== 'string' && typeof password !== 'function') {
    // The value stays out of the message: it may be a password after all.
    throw new OrbitError(
      'INVALID_CONFIG',
      'connection.password must be a string, or a function that gives one',
    );
  }
  return {
    application_name: APPLICATION_NAME,
    ...connection,
    ...(connectionString === undefined ? {} : { connectionString }),
  };
}

/** pg settings that take milliseconds, which pg reads as numbers without a check. */
const PG_MS_SETTINGS = [
  'connectionTimeoutMillis',
  'idleTimeoutMillis',
  'statement_timeout',
  'query_timeout',
  'lock_timeout',
  'idle_in_transaction_session_timeout',
  'keepAliveInitialDelayMillis',
] as const;

function checkConnectionString(name: string, value: unknown): void {
  if (value === undefined) return;
  if (typeof value !== 'string') throw invalidConfig(name, 'a string', value);
  if (!CONNECTION_URL.test(value)) {
    throw new OrbitError(
      'INVALID_CONFIG',
      `${name} must be a postgres:// or postgresql:// URL, or a socket path (/...)`,
    );
  }
}

/** What pg can read as a connection string: a URL of its schemes, or a socket path. */
const CONNECTION_URL = /^(postgres(ql)?:\/\/|socket:|\/)/i;

/**
 * The shortest lease: a heartbeat must be able to renew it across a statement's round
 * trip and a busy event loop, or every run would be lost.
 */
const MIN_LEASE_MS = 1_000;
const MIN_HEARTBEAT_MS = 100;

function boundedMs(value: unknown, option: string, minMs: number): number {
  const ms = parseDuration(value, option);
  if (ms < minMs || ms > MAX_NODE_TIMER_MS) {
    throw new OrbitError(
      'INVALID_DURATION',
      `${option} must be from ${minMs} ms to ${MAX_NODE_TIMER_MS} ms (about 24 days); got ${ms} ms`,
    );
  }
  return ms;
}

function wholeNumber(value: unknown, option: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) {
    throw invalidConfig(option, 'a whole number, 1 or more', value);
  }
  return value;
}
