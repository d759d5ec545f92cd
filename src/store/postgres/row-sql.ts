/**
 * Whether a job row may retry after one more failure, as SQL over the row `j` before the
 * update: the job's retry policy and the retries it has used. The fenced completion and
 * the reaper share it, so a run lost with its process goes through the same policy as a
 * run that failed.
 */
export const MAY_RETRY = `(j.retry_active AND (j.retry_limit = 0 OR j.retries_used < j.retry_limit))`;

/** The SET clauses that end a run's hold on its job row: lease and pause cleared. */
export const RELEASE_LEASE = `
        lease_owner = NULL,
        lease_expires_at = NULL,
        pause_requested_at = NULL,
        pause_timeout_ms = NULL,
        version = j.version + 1,`;

/**
 * A CTE body that finds job rows by key and locks them: one primary-key probe per input
 * row (`input` has a `job_id` column), so its cost follows the rows asked for, not the
 * table. It yields each row's address as `row_id` beside the input's columns; a statement
 * that holds the lock may then update the rows by address ({@link BY_ADDRESS}).
 */
export function lockedByKey(
  jobs: string,
  input: string,
  conditions: string,
  lock: 'FOR UPDATE' | 'FOR UPDATE SKIP LOCKED',
  columns = '',
): string {
  return `
    SELECT j.ctid AS row_id, ${input}.*${columns === '' ? '' : `, ${columns}`}
      FROM ${input} CROSS JOIN LATERAL (
        SELECT j.ctid, j.skipped_ticks FROM ${jobs} j
         WHERE j.pool_id = $1 AND j.job_id = ${input}.job_id AND ${conditions}
           ${lock}
      ) j`;
}

/**
 * Targets, in an `UPDATE jobs j ... FROM <cte> [AS alias]`, the rows whose addresses `cte`
 * found ({@link lockedByKey}). Looking rows up by address keeps the planner from scanning
 * the table, whatever its statistics say.
 */
export function byAddress(cte: string, alias = cte): string {
  return `j.ctid = ANY (ARRAY(SELECT row_id FROM ${cte})) AND j.ctid = ${alias}.row_id`;
}
