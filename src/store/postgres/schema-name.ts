import { OrbitError } from '../../errors/orbit-error.js';
import { shown } from '../../config/checks.js';

/** The schema Orbit's tables live in unless a store is told otherwise. */
export const DEFAULT_SCHEMA = 'orbit';

/**
 * A schema name Orbit accepts: letters, digits and `_`, not starting with a digit, and
 * short enough that its notification channel (`orbit:<schema>`) is a valid identifier too
 * (63 bytes at most).
 */
const SCHEMA_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,56}$/;

/** The qualified names of Orbit's tables in one schema, quoted for SQL. */
export interface TableNames {
  readonly schema: string;
  readonly jobs: string;
  readonly runs: string;
  readonly migrations: string;
  /** The processes that run each pool now (see `members.ts`). */
  readonly members: string;
  /** The `LISTEN` / `pg_notify` channel of this schema. */
  readonly channel: string;
}

/**
 * Checks a user-chosen schema name and returns the quoted table names inside it. Names
 * are restricted rather than escaped so they read the same in SQL, logs and `psql`.
 *
 * @throws OrbitError `INVALID_CONFIG` for a name outside `[A-Za-z_][A-Za-z0-9_]*`, longer
 * than 57 characters, or one of PostgreSQL's own (`pg_*`, `information_schema`).
 */
export function tableNames(schema: unknown): TableNames {
  if (typeof schema !== 'string' || !SCHEMA_NAME.test(schema)) {
    throw new OrbitError(
      'INVALID_CONFIG',
      `schema must be 1 to 57 letters, digits or '_', not starting with a digit; got ${shown(schema)}`,
    );
  }
  if (/^pg_/i.test(schema) || schema.toLowerCase() === 'information_schema') {
    throw new OrbitError(
      'INVALID_CONFIG',
      `schema ${shown(schema)} belongs to PostgreSQL itself; choose a schema of your own`,
    );
  }

  const quoted = `"${schema}"`;
  return Object.freeze({
    schema: quoted,
    jobs: `${quoted}.jobs`,
    runs: `${quoted}.runs`,
    migrations: `${quoted}.migrations`,
    members: `${quoted}.members`,
    channel: `orbit:${schema}`,
  });
}
