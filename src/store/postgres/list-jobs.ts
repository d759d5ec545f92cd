import type { ListedJob, ListJobsFilter } from '../listed-job.js';
import type { Queryable } from './queryable.js';
import type { TableNames } from './schema-name.js';
import { SEAM_JOB_COLUMNS, toStoredJob, type SeamJobRow } from './seam-rows.js';

/**
 * Every job the schema holds, of one pool or of all, ordered by pool and job id: the
 * jobs of every process that shares the database, as the rows have them now. One
 * statement, read-only.
 */
export async function listJobs(
  db: Queryable,
  tables: TableNames,
  filter: ListJobsFilter,
): Promise<ListedJob[]> {
  const { rows } = await db.query<SeamJobRow & { pool_id: string }>(
    `SELECT pool_id, ${SEAM_JOB_COLUMNS} FROM ${tables.jobs}
      WHERE $1::text IS NULL OR pool_id = $1
      ORDER BY pool_id, job_id`,
    [filter.poolId ?? null],
  );
  return rows.map((row) => ({ poolId: row.pool_id, ...toStoredJob(row) }));
}
