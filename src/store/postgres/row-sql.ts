/**
 * A CTE body that finds job rows by key and locks them: one primary-key probe per input
 * row (`input` has a `job_id` column), so its cost follows the rows asked for, not the
 * table. It yields the input's columns for each row it locked; a statement that holds the
 * lock then updates the rows it names ({@link byKey}).
 */
export function lockedByKey(
  jobs: string,
  input: string,
  conditions: string,
  lock: 'FOR UPDATE' | 'FOR UPDATE SKIP LOCKED',
  columns = '',
): string {
  return `
    SELECT ${input}.*${columns === '' ? '' : `, ${columns}`}
      FROM ${input} CROSS JOIN LATERAL (
        SELECT j.skipped_ticks FROM ${jobs} j
         WHERE j.pool_id = $1 AND j.job_id = ${input}.job_id AND ${conditions}
           ${lock}
      ) j`;
}

/**
 * Targets, in an `UPDATE jobs j ... FROM <cte> [AS alias]` whose pool is `$1`, the rows
 * of the jobs `cte` names (those that pass `which`, when given), each joined to its row of
 * `cte`. The jobs are probed by primary key, so the planner never scans the table.
 *
 * By key, not by the address the lock step saw: when another statement changed a row
 * after this one began and committed while this one waited for the lock, the version
 * locked is newer than this statement's snapshot, and a lookup by address finds nothing,
 * so the write would be dropped without a word. Found by key, the row's newest version is
 * the one updated (PostgreSQL rechecks a row changed since the snapshot).
 */
export function byKey(cte: string, alias = cte, which?: string): string {
  const rows = which === undefined ? cte : `${cte} WHERE ${which}`;
  return `j.pool_id = $1 AND j.job_id = ANY (ARRAY(SELECT job_id FROM ${rows}))
          AND j.job_id = ${alias}.job_id`;
}
