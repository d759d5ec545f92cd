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

function storedStatus(row: Pick<SeamJobRow, 'status' | 'lease_owner'>): StoredStatus {
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

/** What a claim answers of a job row (`CLAIM_COLUMNS`), with instants as epoch ms. */
export interface ClaimRow {
  won: boolean;
  /** The process whose run this claim took over as lost. */
  lost_owner: string | null;
  /** While another process holds the job: when to claim again. */
  held_until_ms: number | null;
  job_id: string;
  schedule_key: string;
  status: SeamJobRow['status'];
  lease_owner: string | null;
  due_ms: number | null;
  run_tick_ms: number | null;
  start_ms: number | null;
  fence: string;
  success_count: string;
  failure_count: string;
  retries_used: number;
}

const NO_DATA: JobData = Object.freeze({});

/**
 * The job a claim answers: its status, position, fence and counts. What only a finished
 * run leaves (its start, end, error and data) is left out, as the contract allows.
 */
export function claimedJob(row: ClaimRow): StoredJob {
  return {
    jobId: row.job_id,
    scheduleHash: row.schedule_key,
    status: storedStatus(row),
    dueAt: epochMs(row.due_ms),
    fence: toCount(row.fence),
    success: toCount(row.success_count),
    failure: toCount(row.failure_count),
    retriesUsed: row.retries_used,
    lastStartAt: undefined,
    lastEndAt: undefined,
    lastError: undefined,
    data: NO_DATA,
  };
}

/** The live run a claim took over from `node`, a process that is gone. */
export function claimedLiveRun(row: ClaimRow, node: string): RunRecord | undefined {
  const scheduledAt = epochMs(row.run_tick_ms);
  if (scheduledAt === undefined) return undefined;
  return {
    jobId: row.job_id,
    fence: toCount(row.fence),
    scheduledAt,
    node,
    startedAt: epochMs(row.start_ms) ?? scheduledAt,
    endedAt: undefined,
    outcome: 'running',
    error: undefined,
  };
}

/** Epoch ms computed by PostgreSQL in floating point: whole again, `undefined` for NULL. */
export function epochMs(value: number | null): number | undefined {
  return value === null ? undefined : Math.round(value);
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
