import { SEAM_JOB_COLUMNS } from './seam-rows.js';
import type { TableNames } from './schema-name.js';

/**
 * The statements behind the store contract (`src/store/store.ts`), one per method, each
 * a single round trip. They share the job and run tables with the cluster coordinator.
 */
export interface SeamStatements {
  readonly register: string;
  readonly readJob: string;
  readonly claim: string;
  readonly complete: string;
  readonly trimHistory: string;
  readonly setStatus: string;
  readonly remove: string;
  readonly history: string;
}

/** The run record status for a contract outcome and error code. */
const RECORD_STATUS = `CASE $13 WHEN 'success' THEN 'succeeded'
  WHEN 'failure' THEN CASE WHEN $10 = 'RUN_LOST' THEN 'lost' ELSE 'failed' END
  ELSE 'stopped' END`;

export function seamStatements({ jobs, runs }: TableNames): SeamStatements {
  return {
    // A new job, or a known one whose schedule changed, starts at its first due instant;
    // the same schedule changes nothing. Rows come back only when written.
    register: `
      INSERT INTO ${jobs} AS j (pool_id, job_id, schedule_key, misfire, retry_active,
                                retry_limit, retry_reset, due_at)
      VALUES ($1, $2, $3, 'once', false, 0, false, $4)
      ON CONFLICT (pool_id, job_id) DO UPDATE SET
        schedule_key = EXCLUDED.schedule_key,
        due_at = EXCLUDED.due_at,
        status = CASE WHEN j.status = 'ended' THEN 'active' ELSE j.status END,
        version = j.version + 1,
        updated_at = now()
      WHERE j.schedule_key <> EXCLUDED.schedule_key
      RETURNING j.job_id`,
    readJob: `
      SELECT ${SEAM_JOB_COLUMNS}, lease_expires_at < now() AS lease_expired
        FROM ${jobs} WHERE pool_id = $1 AND job_id = $2`,
    // Won only by a waiting job, for a tick not before its position and after the tick
    // it last served; the winner holds the lease. A lost claim answers the row as it is.
    claim: `
      WITH won AS (
        UPDATE ${jobs} j SET
          fence = j.fence + 1, version = j.version + 1,
          lease_owner = $5, lease_expires_at = now() + $6 * interval '1 millisecond',
          run_tick = $3, run_skipped = 0, due_at = $3, last_start_at = $4,
          updated_at = now()
        WHERE j.pool_id = $1 AND j.job_id = $2 AND j.status = 'active'
          AND j.lease_owner IS NULL AND (j.due_at IS NULL OR j.due_at <= $3)
          AND (j.run_tick IS NULL OR j.run_tick < $3)
        RETURNING ${SEAM_JOB_COLUMNS}
      )
      SELECT true AS won, ${SEAM_JOB_COLUMNS} FROM won
      UNION ALL
      SELECT false, ${SEAM_JOB_COLUMNS} FROM ${jobs}
       WHERE pool_id = $1 AND job_id = $2 AND NOT EXISTS (SELECT 1 FROM won)`,
    // Fenced on the live run: any process may end it (a run lost with its process is
    // ended by the one that finds it), but only once.
    complete: `
      WITH held AS (
        SELECT ctid AS row_id, lease_owner FROM ${jobs}
         WHERE pool_id = $1 AND job_id = $2 AND fence = $3 AND lease_owner IS NOT NULL
           FOR UPDATE
      ),
      done AS (
        UPDATE ${jobs} j SET
          lease_owner = NULL, lease_expires_at = NULL,
          pause_requested_at = NULL, pause_timeout_ms = NULL,
          version = j.version + 1, status = $4, due_at = $5,
          success_count = $6, failure_count = $7, retries_used = $8, data = $9,
          last_error_code = $10, last_error_message = $11, last_end_at = $12,
          updated_at = now()
        FROM held WHERE j.ctid = held.row_id
        RETURNING j.job_id, j.fence, j.run_tick, j.run_skipped, j.last_start_at,
                  held.lease_owner AS owner
      ),
      recorded AS (
        INSERT INTO ${runs} (pool_id, job_id, scheduled_at, fence, owner, status,
                             skipped_before, claimed_at, finished_at, error_code,
                             error_message)
        SELECT $1, job_id, run_tick, fence, owner, ${RECORD_STATUS}, run_skipped,
               COALESCE(last_start_at, run_tick), $12, $10, $11
          FROM done
      )
      SELECT job_id FROM done`,
    trimHistory: `
      DELETE FROM ${runs} WHERE pool_id = $1 AND job_id = $2 AND scheduled_at <= (
        SELECT scheduled_at FROM ${runs} WHERE pool_id = $1 AND job_id = $2
         ORDER BY scheduled_at DESC OFFSET $3 LIMIT 1)`,
    // A stop or an end closes a live run: its record says stopped and its lease goes.
    setStatus: `
      WITH held AS (
        SELECT ctid AS row_id, lease_owner, fence, run_tick, run_skipped, last_start_at
          FROM ${jobs} WHERE pool_id = $1 AND job_id = $2 FOR UPDATE
      ),
      changed AS (
        UPDATE ${jobs} j SET
          status = $3, due_at = $4, version = j.version + 1,
          control_seq = j.control_seq + 1,
          lease_owner = CASE WHEN $5 THEN NULL ELSE j.lease_owner END,
          lease_expires_at = CASE WHEN $5 THEN NULL ELSE j.lease_expires_at END,
          updated_at = now()
        FROM held WHERE j.ctid = held.row_id
        RETURNING j.job_id
      )
      INSERT INTO ${runs} (pool_id, job_id, scheduled_at, fence, owner, status,
                           skipped_before, claimed_at)
      SELECT $1, $2, run_tick, fence, lease_owner, 'stopped', run_skipped,
             COALESCE(last_start_at, run_tick)
        FROM held WHERE $5 AND lease_owner IS NOT NULL AND run_tick IS NOT NULL`,
    remove: `
      WITH gone AS (DELETE FROM ${runs} WHERE pool_id = $1 AND job_id = $2)
      DELETE FROM ${jobs} WHERE pool_id = $1 AND job_id = $2`,
    history: `
      SELECT job_id, scheduled_at, fence, owner, status, claimed_at, finished_at,
             error_code, error_message
        FROM ${runs} WHERE pool_id = $1 AND job_id = $2
       ORDER BY scheduled_at DESC LIMIT $3`,
  };
}
