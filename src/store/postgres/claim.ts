import type { ClaimPlan } from './tick-plan.js';
import { toCount, toMs, toTimestamp, type Queryable } from './queryable.js';
import { byAddress, lockedByKey } from './row-sql.js';
import type { TableNames } from './schema-name.js';

/** A job the database says is due and free, as a poll saw it. */
export interface DueJob {
  readonly jobId: string;
  /** The row version the claim must still find. */
  readonly version: number;
  readonly dueMs: number;
  /** The tick its latest claimed run served, if any. */
  readonly lastRunTickMs: number | undefined;
}

/** What one poll of a pool found. */
export interface PollResult {
  readonly due: DueJob[];
  /** The database's clock when it answered. */
  readonly dbNowMs: number;
  /** The earliest due instant still ahead, if any job has one. */
  readonly nextDueMs: number | undefined;
}

/** A run this process now holds the lease of. */
export interface ClaimedRun {
  readonly jobId: string;
  /** Grows with every claimed run of the job; every later write must carry it. */
  readonly fence: number;
  /** The tick the run serves. */
  readonly tickMs: number;
  readonly leaseExpiresMs: number;
}

/** A due job with the plan made for it. */
export interface PlannedClaim {
  readonly job: DueJob;
  readonly plan: ClaimPlan;
}

/**
 * Finds up to `limit` jobs of the pool that are due now by the database's clock and not
 * leased, earliest first, and the next due instant after them. The rows returned are
 * locked for the caller's transaction and rows another claimer has locked are passed
 * over, so processes polling together take disjoint sets of jobs.
 */
export async function pollDue(
  db: Queryable,
  tables: TableNames,
  poolId: string,
  limit: number,
): Promise<PollResult> {
  const { rows } = await db.query<{
    job_id: string | null;
    version: string | null;
    due_at: Date | null;
    run_tick: Date | null;
    db_now: Date;
  }>({ name: `orbit-poll:${tables.schema}`, text: pollSql(tables), values: [poolId, limit] });

  const due: DueJob[] = [];
  let nextDueMs: number | undefined;
  let dbNowMs = Date.now();
  for (const row of rows) {
    dbNowMs = row.db_now.getTime();
    if (row.job_id === null) nextDueMs = toMs(row.due_at);
    else if (row.version !== null && row.due_at !== null) {
      due.push({
        jobId: row.job_id,
        version: toCount(row.version),
        dueMs: row.due_at.getTime(),
        lastRunTickMs: toMs(row.run_tick),
      });
    }
  }
  return { due, dbNowMs, nextDueMs };
}

/**
 * Claims planned runs in one statement, decided by the database's clock. A job is taken
 * only when its row still has the version the poll saw, is due by `now()`, active and not
 * leased, and only for a tick after the one it last served; rows another claimer holds
 * locked are skipped, not waited for. The same statement moves the job to its next due
 * instant, takes the lease and bumps the fence. The run's record is written when it ends
 * (its key, job and tick, refuses a second record of one tick).
 */
export async function claimRuns(
  db: Queryable,
  tables: TableNames,
  poolId: string,
  owner: string,
  leaseTtlMs: number,
  claims: readonly PlannedClaim[],
): Promise<ClaimedRun[]> {
  const runs = claims.filter((claim) => claim.plan.kind === 'run');
  if (runs.length === 0) return [];

  const { rows } = await db.query<{
    job_id: string;
    fence: string;
    run_tick: Date;
    lease_expires_at: Date;
  }>({
    name: `orbit-claim:${tables.schema}`,
    text: claimSql(tables),
    values: [poolId, ...planColumns(runs), owner, leaseTtlMs],
  });
  return rows.map((row) => ({
    jobId: row.job_id,
    fence: toCount(row.fence),
    tickMs: row.run_tick.getTime(),
    leaseExpiresMs: row.lease_expires_at.getTime(),
  }));
}

/**
 * Applies plans that run nothing: the jobs move to their next due instant and the ticks
 * passed over are counted, under the same version check as a claim.
 *
 * @returns the ids of the jobs moved.
 */
export async function skipTicks(
  db: Queryable,
  tables: TableNames,
  poolId: string,
  claims: readonly PlannedClaim[],
): Promise<string[]> {
  const skips = claims.filter((claim) => claim.plan.kind === 'skip');
  if (skips.length === 0) return [];

  const { rows } = await db.query<{ job_id: string }>(skipSql(tables), [
    poolId,
    ...planColumns(skips),
  ]);
  return rows.map((row) => row.job_id);
}

function planColumns(claims: readonly PlannedClaim[]) {
  return [
    claims.map(({ job }) => job.jobId),
    claims.map(({ job }) => job.version),
    claims.map(({ plan }) => (plan.kind === 'run' ? new Date(plan.tickMs) : null)),
    claims.map(({ plan }) => toTimestamp(plan.nextDueMs)),
    claims.map(({ plan }) => plan.skipped),
  ];
}

const PLAN_ROWS = `unnest($2::text[], $3::bigint[], $4::timestamptz[], $5::timestamptz[],
                          $6::integer[]) AS p(job_id, version, tick, next_due, skipped)`;

/**
 * The conditions under which a job may be claimed or skipped: unchanged, due, free. "Free"
 * is tested on `lease_expires_at`, which the table's CHECK ties to `lease_owner`: the
 * partial index of due jobs (`lease_owner IS NULL`) then cannot serve the lookup, and the
 * planner goes by primary key, one probe per planned job, even before statistics exist.
 * A run's tick must come after the tick last served: ticks only move forward.
 */
const CLAIMABLE = `j.version = p.version
   AND j.status = 'active' AND j.lease_expires_at IS NULL AND j.due_at <= now()
   AND (p.tick IS NULL OR j.run_tick IS NULL OR p.tick > j.run_tick)`;

function pollSql({ jobs }: TableNames): string {
  const free = `pool_id = $1 AND status = 'active' AND lease_owner IS NULL`;
  return `
    WITH due AS (
      SELECT job_id, version, due_at, run_tick FROM ${jobs}
       WHERE ${free} AND due_at <= now()
       ORDER BY due_at LIMIT $2
         FOR UPDATE SKIP LOCKED
    )
    SELECT job_id, version, due_at, run_tick, now() AS db_now FROM due
    UNION ALL
    SELECT NULL, NULL, min(due_at), NULL, now() FROM ${jobs} WHERE ${free} AND due_at > now()`;
}

function claimSql({ jobs }: TableNames): string {
  return `
    WITH p AS (SELECT * FROM ${PLAN_ROWS}),
    free AS (${lockedByKey(jobs, 'p', CLAIMABLE, 'FOR UPDATE SKIP LOCKED', 'j.skipped_ticks + p.skipped AS skipped_before')}),
    claimed AS (
      UPDATE ${jobs} j SET
        version = j.version + 1,
        fence = j.fence + 1,
        lease_owner = $7,
        lease_expires_at = now() + $8 * interval '1 millisecond',
        run_tick = free.tick,
        due_at = free.next_due,
        run_skipped = free.skipped_before,
        skipped_ticks = 0,
        missed_count = j.missed_count + free.skipped,
        pause_requested_at = NULL,
        pause_timeout_ms = NULL,
        data = '{}',
        last_error_code = NULL,
        last_error_message = NULL,
        last_start_at = now(),
        last_end_at = NULL,
        updated_at = now()
      FROM free
      WHERE ${byAddress('free')}
      RETURNING j.job_id, j.fence, j.run_tick, j.lease_expires_at
    )
    SELECT job_id, fence, run_tick, lease_expires_at FROM claimed`;
}

function skipSql({ jobs }: TableNames): string {
  return `
    WITH p AS (SELECT * FROM ${PLAN_ROWS}),
    free AS (${lockedByKey(jobs, 'p', CLAIMABLE, 'FOR UPDATE SKIP LOCKED')})
    UPDATE ${jobs} j SET
      version = j.version + 1,
      due_at = free.next_due,
      status = CASE WHEN free.next_due IS NULL THEN 'ended' ELSE j.status END,
      skipped_ticks = j.skipped_ticks + free.skipped,
      missed_count = j.missed_count + free.skipped,
      updated_at = now()
    FROM free
    WHERE ${byAddress('free')}
    RETURNING j.job_id`;
}
