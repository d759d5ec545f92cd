import type { Database } from 'better-sqlite3';

/**
 * The schema, as numbered steps. A database records the steps it has taken in
 * `<prefix>migrations`; opening it takes the missing ones, in one `BEGIN IMMEDIATE`
 * transaction, so two processes that open a new file at once cannot both apply a step.
 * Steps are only ever added at the end; a released step never changes.
 */
const MIGRATIONS: readonly ((prefix: string) => string)[] = [
  (p) => `
    CREATE TABLE ${p}jobs (
      pool_id TEXT NOT NULL,
      job_id TEXT NOT NULL,
      name TEXT NOT NULL,
      schedule_hash TEXT NOT NULL,
      status TEXT NOT NULL,
      due_at INTEGER,
      fence INTEGER NOT NULL DEFAULT 0,
      success INTEGER NOT NULL DEFAULT 0,
      failure INTEGER NOT NULL DEFAULT 0,
      retries_used INTEGER NOT NULL DEFAULT 0,
      last_start_at INTEGER,
      last_end_at INTEGER,
      last_error_code TEXT,
      last_error_message TEXT,
      data TEXT NOT NULL DEFAULT '{}',
      updated_at INTEGER NOT NULL,
      PRIMARY KEY (pool_id, job_id)
    ) STRICT, WITHOUT ROWID;

    CREATE TABLE ${p}runs (
      pool_id TEXT NOT NULL,
      job_id TEXT NOT NULL,
      fence INTEGER NOT NULL,
      scheduled_at INTEGER NOT NULL,
      node TEXT NOT NULL,
      owner TEXT NOT NULL,
      started_at INTEGER NOT NULL,
      ended_at INTEGER,
      outcome TEXT NOT NULL,
      error_code TEXT,
      error_message TEXT,
      PRIMARY KEY (pool_id, job_id, fence)
    ) STRICT;

    CREATE INDEX ${p}runs_live ON ${p}runs (pool_id, job_id) WHERE outcome = 'running';
  `,
];

/** The schema version this build of Orbit writes. */
export const SCHEMA_VERSION = MIGRATIONS.length;

/**
 * Brings the database to {@link SCHEMA_VERSION}. A database written by a newer Orbit is
 * refused rather than guessed at.
 *
 * @throws Error when the database's schema is newer than this build knows.
 */
/** The table that records which migrations a database took. */
export function migrationsTable(prefix: string): string {
  return `${prefix}migrations`;
}

export function migrate(db: Database, prefix: string): void {
  const table = migrationsTable(prefix);
  const apply = db.transaction(() => {
    db.exec(
      `CREATE TABLE IF NOT EXISTS ${table} (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL) STRICT`,
    );
    const row = db.prepare(`SELECT max(version) AS version FROM ${table}`).get() as {
      version: number | null;
    };
    const current = row.version ?? 0;
    if (current > SCHEMA_VERSION) {
      throw new Error(
        `the database has schema version ${current}; this Orbit knows up to ${SCHEMA_VERSION}`,
      );
    }

    const record = db.prepare(`INSERT INTO ${table} (version, applied_at) VALUES (?, ?)`);
    for (let version = current + 1; version <= SCHEMA_VERSION; version++) {
      db.exec((MIGRATIONS[version - 1] as (prefix: string) => string)(prefix));
      record.run(version, Date.now());
    }
  });
  apply.immediate();
}
