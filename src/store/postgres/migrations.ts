import type { TableNames } from './schema-name.js';

/** One step of the schema's history. Steps are applied in order and never edited. */
export interface Migration {
  readonly version: number;
  readonly name: string;
  sql(tables: TableNames): string;
}

/**
 * The schema, as a list of versioned steps. A released step never changes: a change to
 * the schema is a new step at the end.
 */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'jobs and runs',
    sql: ({ jobs, runs }) => `
      CREATE TABLE ${jobs} (
        pool_id            text NOT NULL,
        job_id             text NOT NULL,
        schedule_key       text NOT NULL,
        misfire            text NOT NULL CHECK (misfire IN ('once', 'skip', 'all')),
        retry_active       boolean NOT NULL,
        retry_limit        integer NOT NULL,
        retry_reset        boolean NOT NULL,
        status             text NOT NULL DEFAULT 'active'
                           CHECK (status IN ('active', 'paused', 'stopped', 'ended')),
        pause_requested_at timestamptz(3),
        pause_timeout_ms   integer,
        control_seq        bigint NOT NULL DEFAULT 0,
        due_at             timestamptz(3),
        run_tick           timestamptz(3),
        run_skipped        integer NOT NULL DEFAULT 0,
        skipped_ticks      integer NOT NULL DEFAULT 0,
        version            bigint NOT NULL DEFAULT 0,
        fence              bigint NOT NULL DEFAULT 0,
        lease_owner        text,
        lease_expires_at   timestamptz(3),
        success_count      bigint NOT NULL DEFAULT 0,
        failure_count      bigint NOT NULL DEFAULT 0,
        retries_used       integer NOT NULL DEFAULT 0,
        lost_count         bigint NOT NULL DEFAULT 0,
        missed_count       bigint NOT NULL DEFAULT 0,
        last_error_code    text,
        last_error_message text,
        data               jsonb NOT NULL DEFAULT '{}',
        last_start_at      timestamptz(3),
        last_end_at        timestamptz(3),
        created_at         timestamptz(3) NOT NULL DEFAULT now(),
        updated_at         timestamptz(3) NOT NULL DEFAULT now(),
        PRIMARY KEY (pool_id, job_id),
        CHECK ((lease_owner IS NULL) = (lease_expires_at IS NULL))
      ) WITH (fillfactor = 80);

      CREATE INDEX jobs_due ON ${jobs} (pool_id, due_at)
        WHERE status = 'active' AND lease_owner IS NULL;
      CREATE INDEX jobs_lease ON ${jobs} (pool_id, lease_expires_at)
        WHERE lease_owner IS NOT NULL;

      CREATE TABLE ${runs} (
        pool_id        text NOT NULL,
        job_id         text NOT NULL,
        scheduled_at   timestamptz(3) NOT NULL,
        fence          bigint NOT NULL,
        owner          text NOT NULL,
        status         text NOT NULL CHECK (status IN
                       ('succeeded', 'failed', 'lost', 'stopped', 'abandoned')),
        skipped_before integer NOT NULL DEFAULT 0,
        claimed_at     timestamptz(3) NOT NULL,
        finished_at    timestamptz(3) NOT NULL DEFAULT now(),
        error_code     text,
        error_message  text,
        PRIMARY KEY (pool_id, job_id, scheduled_at)
      );

      -- Records arrive in finishing order, so a block range index serves retention cheaply.
      CREATE INDEX runs_finished ON ${runs} USING brin (finished_at);
    `,
  },
  {
    version: 2,
    name: 'job rows found by key only',
    // Claims, run ends and heartbeats find job rows by primary key. Without indexes on the
    // columns they change (due instant, lease), those updates stay heap-only (HOT) within
    // the page's free space (fillfactor 80), which halves their cost.
    sql: ({ schema }) => `
      DROP INDEX IF EXISTS ${schema}.jobs_due;
      DROP INDEX IF EXISTS ${schema}.jobs_lease;
    `,
  },
  {
    version: 3,
    name: 'pool members',
    // Which processes run each pool, seen by their heartbeats: each tick has a first
    // choice among them, so processes do not all race for every tick.
    sql: ({ members }) => `
      CREATE TABLE ${members} (
        pool_id text NOT NULL,
        owner   text NOT NULL,
        seen_at timestamptz(3) NOT NULL DEFAULT now(),
        PRIMARY KEY (pool_id, owner)
      );
    `,
  },
];

/** The schema version this library writes. */
export const SCHEMA_VERSION = MIGRATIONS.length;
