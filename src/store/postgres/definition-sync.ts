import { firstDue } from '../../schedule/schedule.js';
import { scheduleKey, type StoredJobDefinition } from './job-definition.js';
import { toTimestamp, type Queryable } from './queryable.js';
import type { TableNames } from './schema-name.js';

/** What definition sync did to one job's row. */
export interface SyncedJob {
  readonly jobId: string;
  /** `inserted`: a new job; `updated`: its schedule or policies changed; else untouched. */
  readonly change: 'inserted' | 'updated';
}

/**
 * Writes the definitions of a pool's jobs, many in one statement. A job seen for the first
 * time gets its first due instant from the database's clock (`dbNowMs`). A job already
 * stored keeps everything that happened to it (due instant, status, counts, lease, fence)
 * unless its schedule changed, which gives it a new due instant and brings an ended job
 * back. Redeploying the same definitions therefore neither re-fires nor resets anything.
 */
export async function syncDefinitions(
  db: Queryable,
  tables: TableNames,
  poolId: string,
  definitions: readonly StoredJobDefinition[],
  dbNowMs: number,
): Promise<SyncedJob[]> {
  if (definitions.length === 0) return [];

  const columns = definitionColumns(definitions, dbNowMs);
  const { rows } = await db.query<{ job_id: string; inserted: boolean }>(syncSql(tables), [
    poolId,
    ...columns,
  ]);
  return rows.map((row) => ({ jobId: row.job_id, change: row.inserted ? 'inserted' : 'updated' }));
}

function definitionColumns(definitions: readonly StoredJobDefinition[], dbNowMs: number) {
  return [
    definitions.map((d) => d.id),
    definitions.map((d) => scheduleKey(d)),
    definitions.map((d) => d.misfire),
    definitions.map((d) => d.retry.active),
    definitions.map((d) => d.retry.count),
    definitions.map((d) => d.retry.resetOnSuccess),
    definitions.map((d) => toTimestamp(initialDue(d, dbNowMs))),
  ];
}

function initialDue(definition: StoredJobDefinition, dbNowMs: number): number | undefined {
  const { schedule, startAtMs, endAtMs, misfire } = definition;
  const dueMs = firstDue(schedule, dbNowMs, startAtMs, misfire);
  return dueMs !== undefined && (endAtMs === undefined || dueMs <= endAtMs) ? dueMs : undefined;
}

function syncSql({ jobs }: TableNames): string {
  const rescheduled = 'j.schedule_key <> EXCLUDED.schedule_key';
  return `
    INSERT INTO ${jobs} AS j (pool_id, job_id, schedule_key, misfire, retry_active,
                              retry_limit, retry_reset, due_at, status)
    SELECT $1, d.job_id, d.schedule_key, d.misfire, d.retry_active, d.retry_limit,
           d.retry_reset, d.due_at, CASE WHEN d.due_at IS NULL THEN 'ended' ELSE 'active' END
      FROM unnest($2::text[], $3::text[], $4::text[], $5::boolean[], $6::integer[],
                  $7::boolean[], $8::timestamptz[])
           AS d(job_id, schedule_key, misfire, retry_active, retry_limit, retry_reset, due_at)
    ON CONFLICT (pool_id, job_id) DO UPDATE SET
      schedule_key = EXCLUDED.schedule_key,
      misfire      = EXCLUDED.misfire,
      retry_active = EXCLUDED.retry_active,
      retry_limit  = EXCLUDED.retry_limit,
      retry_reset  = EXCLUDED.retry_reset,
      due_at       = CASE WHEN ${rescheduled} THEN EXCLUDED.due_at ELSE j.due_at END,
      status       = CASE WHEN ${rescheduled} AND j.status = 'ended' THEN EXCLUDED.status
                          ELSE j.status END,
      retries_used = CASE WHEN ${rescheduled} AND j.status = 'ended' THEN 0
                          ELSE j.retries_used END,
      version      = j.version + 1,
      updated_at   = now()
    WHERE (j.schedule_key, j.misfire, j.retry_active, j.retry_limit, j.retry_reset)
          IS DISTINCT FROM
          (EXCLUDED.schedule_key, EXCLUDED.misfire, EXCLUDED.retry_active,
           EXCLUDED.retry_limit, EXCLUDED.retry_reset)
    RETURNING j.job_id, (xmax = 0) AS inserted`;
}
