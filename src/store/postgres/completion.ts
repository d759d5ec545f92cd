import type { JobData } from '../../job/job-config.js';
import { toCount, toTimestamp, type Queryable } from './queryable.js';
import { byAddress, lockedByKey, MAY_RETRY, RELEASE_LEASE } from './row-sql.js';
import type { TableNames } from './schema-name.js';

/**
 * How a run ended. `stopped`: by `stopJob`, not a failure. `abandoned`: its process shut
 * down; the job goes on elsewhere at its next tick.
 */
export type RunOutcome = 'succeeded' | 'failed' | 'stopped' | 'abandoned';

/** The end of one run, as its process reports it. */
export interface RunCompletion {
  readonly jobId: string;
  readonly fence: number;
  readonly outcome: RunOutcome;
  readonly errorCode?: string | undefined;
  readonly errorMessage?: string | undefined;
  /** The job's data at the end of the run. */
  readonly data?: JobData | undefined;
  /** The next due instant after the run; `undefined` when the schedule has no future. */
  readonly nextDueMs: number | undefined;
  /** Ticks that fell due during the run and are passed over. */
  readonly skipped: number;
}

/**
 * Records the ends of runs, many in one statement, each fenced: a row is written only
 * while it still carries the run's fence and this process's lease, so a run that lost its
 * lease (reaped as lost, or taken over) can write nothing. Releases the lease, counts the
 * outcome, applies the retry policy, moves the job to its next due instant and writes the
 * run's record.
 *
 * @returns the `jobId:fence` keys that were accepted; the others had lost their lease.
 */
export async function completeRuns(
  db: Queryable,
  tables: TableNames,
  poolId: string,
  owner: string,
  completions: readonly RunCompletion[],
): Promise<Set<string>> {
  if (completions.length === 0) return new Set();

  const { rows } = await db.query<{ job_id: string; fence: string }>({
    name: `orbit-complete:${tables.schema}`,
    text: completionSql(tables),
    values: [
      poolId,
      completions.map((c) => c.jobId),
      completions.map((c) => c.fence),
      completions.map((c) => c.outcome),
      completions.map((c) => c.errorCode ?? null),
      completions.map((c) => c.errorMessage ?? null),
      completions.map((c) => toTimestamp(c.nextDueMs)),
      completions.map((c) => c.skipped),
      completions.map((c) => JSON.stringify(c.data ?? {})),
      owner,
    ],
  });
  return new Set(rows.map((row) => completionKey(row.job_id, toCount(row.fence))));
}

/** The key {@link completeRuns} reports an accepted completion under. */
export function completionKey(jobId: string, fence: number): string {
  return `${jobId}:${fence}`;
}

function completionSql({ jobs, runs }: TableNames): string {
  const ran = `d.outcome IN ('succeeded', 'failed')`;
  return `
    WITH d AS (
      SELECT * FROM unnest($2::text[], $3::bigint[], $4::text[], $5::text[], $6::text[],
                           $7::timestamptz[], $8::integer[], $9::jsonb[])
             AS d(job_id, fence, outcome, error_code, error_message, next_due, skipped, data)
    ),
    held AS (${lockedByKey(jobs, 'd', 'j.fence = d.fence AND j.lease_owner = $10', 'FOR UPDATE')}),
    finished AS (
      UPDATE ${jobs} j SET
        ${RELEASE_LEASE}
        success_count = j.success_count + (d.outcome = 'succeeded')::int,
        failure_count = j.failure_count + (d.outcome = 'failed')::int,
        retries_used = CASE
          WHEN d.outcome = 'failed' AND ${MAY_RETRY} THEN j.retries_used + 1
          WHEN d.outcome = 'succeeded' AND j.retry_reset THEN 0
          ELSE j.retries_used END,
        status = CASE
          WHEN j.status <> 'active' OR NOT ${ran} THEN j.status
          WHEN d.outcome = 'failed' AND NOT ${MAY_RETRY} THEN 'ended'
          WHEN d.next_due IS NULL THEN 'ended'
          ELSE 'active' END,
        due_at = CASE WHEN ${ran} THEN d.next_due ELSE j.due_at END,
        skipped_ticks = j.skipped_ticks + CASE WHEN ${ran} THEN d.skipped ELSE 0 END,
        missed_count = j.missed_count + CASE WHEN ${ran} THEN d.skipped ELSE 0 END,
        last_error_code = d.error_code,
        last_error_message = d.error_message,
        data = d.data,
        last_end_at = now(),
        updated_at = now()
      FROM held d
      WHERE ${byAddress('held', 'd')}
      RETURNING j.job_id, j.fence, j.run_tick, j.run_skipped, j.last_start_at,
                d.outcome, d.error_code, d.error_message
    ),
    recorded AS (
      INSERT INTO ${runs} (pool_id, job_id, scheduled_at, fence, owner, status,
                           skipped_before, claimed_at, error_code, error_message)
      SELECT $1, job_id, run_tick, fence, $10, outcome, run_skipped, last_start_at,
             error_code, error_message
        FROM finished
    )
    SELECT job_id, fence FROM finished`;
}
