import type { JobData } from '../../job/job-config.js';
import type { RunRecord, StoredJob, StoredStatus } from '../store.js';
import { toCount, toMs } from './queryable.js';

/** The columns of a job row that the store reads. */
export interface SeamJobRow {
  job_id: string;
  schedule_key: string;
  status: 'active' | 'paused' | 'stopped' | 'ended';
  lease_owner: string | null;
  due_at: Date | null;
  run_tick: Date | null;
  fence: string;
  success_count: string;
  failure_count: string;
  retries_used: number;
  last_start_at: Date | null;
  last_end_at: Date | null;
  last_error_code: string | null;
  last_error_message: string | null;
  data: JobData;
}

/** The columns {@link SeamJobRow} names, for SELECT and RETURNING lists. */
export const SEAM_JOB_COLUMNS = `job_id, schedule_key, status, lease_owner, due_at, run_tick,
  fence, success_count, failure_count, retries_used, last_start_at, last_end_at,
  last_error_code, last_error_message, data`;

/**
 * A job row as the store contract sees it. An active row is `running` while a run holds
 * its lease and `waiting` otherwise; `paused` is a paused run.
 */
export function toStoredJob(row: SeamJobRow): StoredJob {
  return {
    jobId: row.job_id,
    scheduleHash: row.schedule_key,
    status: storedStatus(row),
    dueAt: toMs(row.due_at),
    fence: toCount(row.fence),
    success: toCount(row.success_count),
    failure: toCount(row.failure_count),
    retriesUsed: row.retries_used,
    lastStartAt: toMs(row.last_start_at),
    lastEndAt: toMs(row.last_end_at),
    lastError:
      row.last_error_code === null
        ? undefined
        : { code: row.last_error_code, message: row.last_error_message ?? '' },
    data: row.data,
  };
}

function storedStatus(row: SeamJobRow): StoredStatus {
  if (row.status === 'active') return row.lease_owner === null ? 'waiting' : 'running';
  return row.status;
}

/** The row status that stores a contract status. */
export function rowStatus(status: StoredStatus): SeamJobRow['status'] {
  return status === 'waiting' || status === 'running' ? 'active' : status;
}

/** The run in progress on a job row, as a history record; `node` ran it. */
export function liveRun(row: SeamJobRow, node = row.lease_owner): RunRecord | undefined {
  if (node === null || row.run_tick === null) return undefined;
  return {
    jobId: row.job_id,
    fence: toCount(row.fence),
    scheduledAt: row.run_tick.getTime(),
    node,
    startedAt: toMs(row.last_start_at) ?? row.run_tick.getTime(),
    endedAt: undefined,
    outcome: 'running',
    error: undefined,
  };
}

/** A run record row. */
export interface SeamRunRow {
  job_id: string;
  scheduled_at: Date;
  fence: string;
  owner: string;
  status: 'succeeded' | 'failed' | 'lost' | 'stopped' | 'abandoned';
  claimed_at: Date;
  finished_at: Date;
  error_code: string | null;
  error_message: string | null;
}

const OUTCOMES = {
  succeeded: 'success',
  failed: 'failure',
  lost: 'failure',
  stopped: 'stopped',
  abandoned: 'stopped',
} as const;

export function toRunRecord(row: SeamRunRow): RunRecord {
  return {
    jobId: row.job_id,
    fence: toCount(row.fence),
    scheduledAt: row.scheduled_at.getTime(),
    node: row.owner,
    startedAt: row.claimed_at.getTime(),
    endedAt: row.finished_at.getTime(),
    outcome: OUTCOMES[row.status],
    error:
      row.error_code === null
        ? undefined
        : { code: row.error_code, message: row.error_message ?? '' },
  };
}
