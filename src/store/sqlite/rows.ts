import type { JobData } from '../../job/job-config.js';
import type { RunOutcome, RunRecord, StoredError, StoredJob, StoredStatus } from '../store.js';

/** A row of `<prefix>jobs`. */
export interface JobRow {
  job_id: string;
  schedule_hash: string;
  status: StoredStatus;
  due_at: number | null;
  fence: number;
  success: number;
  failure: number;
  retries_used: number;
  last_start_at: number | null;
  last_end_at: number | null;
  last_error_code: string | null;
  last_error_message: string | null;
  data: string;
}

/** A row of `<prefix>jobs` with the pool it belongs to, as a listing reads it. */
export interface ListedJobRow extends JobRow {
  pool_id: string;
}

/** A row of `<prefix>runs`. */
export interface RunRow {
  job_id: string;
  fence: number;
  scheduled_at: number;
  node: string;
  owner: string;
  started_at: number;
  ended_at: number | null;
  outcome: RunOutcome;
  error_code: string | null;
  error_message: string | null;
}

export function toStoredJob(row: JobRow): StoredJob {
  return {
    jobId: row.job_id,
    scheduleHash: row.schedule_hash,
    status: row.status,
    dueAt: row.due_at ?? undefined,
    fence: row.fence,
    success: row.success,
    failure: row.failure,
    retriesUsed: row.retries_used,
    lastStartAt: row.last_start_at ?? undefined,
    lastEndAt: row.last_end_at ?? undefined,
    lastError: toStoredError(row.last_error_code, row.last_error_message),
    data: parseData(row.data),
  };
}

export function toRunRecord(row: RunRow): RunRecord {
  return {
    jobId: row.job_id,
    fence: row.fence,
    scheduledAt: row.scheduled_at,
    node: row.node,
    startedAt: row.started_at,
    endedAt: row.ended_at ?? undefined,
    outcome: row.outcome,
    error: toStoredError(row.error_code, row.error_message),
  };
}

/**
 * A job's data as JSON. Values JSON cannot hold are dropped as `JSON.stringify` does, a
 * `bigint` becomes its decimal string, and data that cannot be written at all (a cycle)
 * is kept as `{}`: the run's end must reach the file whatever the job saved.
 */
export function serializeData(data: JobData): string {
  if (Object.keys(data).length === 0) return '{}';
  try {
    return JSON.stringify(data, bigintAsString);
  } catch {
    return '{}';
  }
}

function bigintAsString(_key: string, value: unknown): unknown {
  return typeof value === 'bigint' ? value.toString() : value;
}

function parseData(text: string): JobData {
  return text === '{}' ? {} : (JSON.parse(text) as JobData);
}

function toStoredError(code: string | null, message: string | null): StoredError | undefined {
  return code === null ? undefined : { code, message: message ?? '' };
}
