import type pg from 'pg';
import { afterAll, beforeAll } from 'vitest';
import type { MisfirePolicy } from '../../../src/job/job-config.js';
import type { Schedule } from '../../../src/schedule/schedule.js';
import { pollDue, type PlannedClaim } from '../../../src/store/postgres/claim.js';
import { PostgresStore } from '../../../src/store/postgres/postgres-store.js';
import { planClaim } from '../../../src/store/postgres/tick-plan.js';
import type { ResolvedRetry } from '../../../src/job/resolve-job-config.js';
import type { StoredJobDefinition } from '../../../src/store/postgres/job-definition.js';
import { createTestDatabase, type TestDatabase } from '../../support/postgres-database.js';

/** An interval job's stored definition, with test-friendly defaults. */
export function intervalJob(
  id: string,
  periodMs: number,
  options: {
    misfire?: MisfirePolicy;
    retry?: Partial<ResolvedRetry>;
    startAtMs?: number;
    endAtMs?: number;
  } = {},
): StoredJobDefinition {
  return {
    id,
    schedule: { kind: 'interval', periodMs },
    startAtMs: options.startAtMs,
    endAtMs: options.endAtMs,
    misfire: options.misfire ?? 'once',
    retry: { active: false, count: 0, resetOnSuccess: false, ...options.retry },
  };
}

/** One job row, as the tests read it. */
export interface JobRow {
  status: string;
  due_at: Date | null;
  run_tick: Date | null;
  version: string;
  fence: string;
  lease_owner: string | null;
  success_count: string;
  failure_count: string;
  retries_used: number;
  lost_count: string;
  missed_count: string;
  skipped_ticks: number;
  last_error_code: string | null;
  pause_requested_at: Date | null;
  data: Record<string, unknown>;
}

export async function jobRow(db: TestDatabase, poolId: string, jobId: string): Promise<JobRow> {
  const { rows } = await db.sql.query<JobRow>(
    'SELECT * FROM orbit.jobs WHERE pool_id = $1 AND job_id = $2',
    [poolId, jobId],
  );
  if (rows[0] === undefined) throw new Error(`no row for ${poolId}/${jobId}`);
  return rows[0];
}

/** One run record, as the tests read it. */
export interface RunRow {
  job_id: string;
  scheduled_at: Date;
  fence: string;
  owner: string;
  status: string;
  skipped_before: number;
  error_code: string | null;
}

export async function runRows(db: TestDatabase, poolId: string, jobId?: string): Promise<RunRow[]> {
  const { rows } = await db.sql.query<RunRow>(
    `SELECT * FROM orbit.runs WHERE pool_id = $1 AND ($2::text IS NULL OR job_id = $2)
      ORDER BY job_id, scheduled_at`,
    [poolId, jobId ?? null],
  );
  return rows;
}

/** Moves a job's due instant into the past, as if `ms` had gone by. */
export async function makeDue(db: TestDatabase, poolId: string, jobId: string, agoMs = 10) {
  await db.sql.query(
    `UPDATE orbit.jobs SET due_at = now() - $3 * interval '1 millisecond'
      WHERE pool_id = $1 AND job_id = $2`,
    [poolId, jobId, agoMs],
  );
}

/** Ages a job's lease past its expiry, as if its process had stopped renewing it. */
export async function expireLease(db: TestDatabase, poolId: string, jobId: string) {
  await db.sql.query(
    `UPDATE orbit.jobs SET lease_expires_at = now() - interval '1 second'
      WHERE pool_id = $1 AND job_id = $2`,
    [poolId, jobId],
  );
}

/** What {@link useOpenStore} gives a test file. */
export interface OpenStore {
  readonly db: TestDatabase;
  readonly store: PostgresStore;
  readonly conn: pg.Pool;
}

/**
 * A store opened on a database made for the calling test file: created before its tests,
 * closed and dropped after them. Read the fields inside tests, not at load time.
 */
export function useOpenStore(): OpenStore {
  const opened: Partial<Record<keyof OpenStore, unknown>> = {};
  beforeAll(async () => {
    const db = await createTestDatabase();
    const store = new PostgresStore({ connectionString: db.connectionString });
    Object.assign(opened, { db, store, conn: await store.open() });
  });
  afterAll(async () => {
    await (opened.store as PostgresStore).close();
    await (opened.db as TestDatabase).drop();
  });
  return opened as OpenStore;
}

/** Polls a pool's due jobs and plans each as a job on `schedule` would ('once'). */
export async function plannedClaims(
  { conn, store }: OpenStore,
  poolId: string,
  schedule: Schedule,
): Promise<PlannedClaim[]> {
  const polled = await pollDue(conn, store.options.tables, poolId, 10);
  const limits = { graceMs: 1_000, maxCatchUp: 100, endAtMs: undefined };
  return polled.due.map((due) => ({
    job: due,
    plan: planClaim(schedule, due.dueMs, polled.dbNowMs, 'once', limits),
  }));
}
