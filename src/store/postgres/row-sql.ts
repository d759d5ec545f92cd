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
 * Targets, in an `UPDATE <table> <table alias> ... FROM <cte> [AS alias]`, the rows whose
 * addresses `cte` found ({@link lockedByKey}, {@link runsByKey}). Looking rows up by
 * address keeps the planner from scanning the table, whatever its statistics say.
 */
export function byAddress(cte: string, alias = cte, table = 'j'): string {
  return `${table}.ctid = ANY (ARRAY(SELECT row_id FROM ${cte})) AND ${table}.ctid = ${alias}.row_id`;
}

/**
 * A CTE body that finds the run records of the rows of `input` (columns `job_id`,
 * `fence`), one key probe each, with their addresses as `row_id`.
 */
export function runsByKey(runs: string, input: string): string {
  return `
    SELECT r.ctid AS row_id, ${input}.*
      FROM ${input} CROSS JOIN LATERAL (
        SELECT r.ctid FROM ${runs} r
         WHERE r.pool_id = $1 AND r.job_id = ${input}.job_id AND r.fence = ${input}.fence
         -- The key is unique; the LIMIT keeps the planner from flattening the probe away.
         LIMIT 1
      ) r`;
}
