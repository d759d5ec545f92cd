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
