import { ERROR_CODES } from '../../errors/error-codes.js';
import { toCount, type Queryable } from './queryable.js';
import { byAddress, MAY_RETRY, RELEASE_LEASE } from './row-sql.js';
import type { TableNames } from './schema-name.js';

/** A run the reaper recorded as lost. */
export interface LostRun {
  readonly jobId: string;
  readonly fence: number;
  /** The job's status after the loss: `ended` when its retry policy gave up. */
  readonly status: 'active' | 'stopped' | 'ended';
}

/** The most leases one reaper pass takes; the next pass takes the rest. */
export const REAP_BATCH = 500;

/**
 * Turns every expired lease of the pool into a lost run: the run is recorded with code
 * `RUN_LOST` and counts as a failure under the job's retry policy (a run of a stopped job
 * is only recorded as stopped). The job keeps the due instant its claim gave it, so the
 * next claim treats the ticks it missed by its misfire policy. Any process may reap; rows
 * another reaper holds are skipped, and a lease renewed before the reaper reads it is
 * not expired.
 */
export async function reapExpiredLeases(
  db: Queryable,
  tables: TableNames,
  poolId: string,
): Promise<LostRun[]> {
  const { rows } = await db.query<{ job_id: string; fence: string; status: LostRun['status'] }>({
    name: `orbit-reap:${tables.schema}`,
    text: reapSql(tables),
    values: [poolId, REAP_BATCH, ERROR_CODES.RUN_LOST],
  });
  return rows.map((row) => ({ jobId: row.job_id, fence: toCount(row.fence), status: row.status }));
}

function reapSql({ jobs, runs }: TableNames): string {
  const live = `j.status = 'active'`;
  return `
    WITH expired AS (
      SELECT ctid AS row_id, lease_owner AS lost_owner FROM ${jobs}
       WHERE pool_id = $1 AND lease_owner IS NOT NULL AND lease_expires_at < now()
       ORDER BY lease_expires_at
       LIMIT $2
         FOR UPDATE SKIP LOCKED
    ),
    reaped AS (
      UPDATE ${jobs} j SET
        ${RELEASE_LEASE}
        lost_count = j.lost_count + 1,
        failure_count = j.failure_count + (${live})::int,
        retries_used = CASE WHEN ${live} AND ${MAY_RETRY} THEN j.retries_used + 1
                            ELSE j.retries_used END,
        status = CASE WHEN NOT ${live} THEN j.status
                      WHEN NOT ${MAY_RETRY} OR j.due_at IS NULL THEN 'ended'
                      ELSE 'active' END,
        last_error_code = CASE WHEN ${live} THEN 'RUN_LOST' ELSE j.last_error_code END,
        last_error_message = CASE WHEN ${live} THEN $3 ELSE j.last_error_message END,
        last_end_at = now(),
        updated_at = now()
      FROM expired
      WHERE ${byAddress('expired')}
      RETURNING j.job_id, j.fence, j.status, j.run_tick, j.run_skipped, j.last_start_at,
                expired.lost_owner
    ),
    recorded AS (
      INSERT INTO ${runs} (pool_id, job_id, scheduled_at, fence, owner, status,
                           skipped_before, claimed_at, error_code, error_message)
      SELECT $1, job_id, run_tick, fence, lost_owner,
             CASE WHEN status = 'stopped' THEN 'stopped' ELSE 'lost' END,
             run_skipped, last_start_at,
             CASE WHEN status = 'stopped' THEN NULL ELSE 'RUN_LOST' END,
             CASE WHEN status = 'stopped' THEN NULL ELSE $3 END
        FROM reaped
    )
    SELECT job_id, fence, status FROM reaped`;
}
