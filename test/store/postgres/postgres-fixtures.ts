import type { MisfirePolicy } from '../../../src/job/job-config.js';
import type { ResolvedRetry } from '../../../src/job/resolve-job-config.js';
import type { StoredJobDefinition } from '../../../src/store/postgres/job-definition.js';
import type { TestDatabase } from '../../support/postgres-database.js';

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
