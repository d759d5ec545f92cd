import { OrbitError } from '../../errors/orbit-error.js';
import { toCount, toMs, type Queryable } from './queryable.js';
import type { TableNames } from './schema-name.js';

/** A cluster-wide control command, as it travels on the schema's notification channel. */
export interface ControlMessage {
  readonly pool: string;
  readonly job: string;
  readonly command: 'pause' | 'resume' | 'stop';
  /** The job's control sequence after the command. */
  readonly seq: number;
  /** The process holding the job's lease, if a run is in progress. */
  readonly owner: string | null;
  /** The fence of that run. */
  readonly fence: number;
  /** For `pause`: how long the run has to reach a checkpoint. */
  readonly timeoutMs: number | null;
}

/** A job's control state, read to explain a refused command or to plan a resume. */
export interface ControlState {
  readonly status: 'active' | 'stopped' | 'ended';
  readonly leaseOwner: string | undefined;
  readonly pauseRequested: boolean;
  readonly version: number;
  readonly dueMs: number | undefined;
  readonly runTickMs: number | undefined;
  readonly dbNowMs: number;
}

/**
 * Asks the run of a job, wherever it runs, to pause at its next checkpoint. The request
 * is stored in the job's row and announced on the channel when the statement commits.
 *
 * @throws OrbitError `JOB_NOT_FOUND`, `JOB_NOT_RUNNING` or `JOB_ALREADY_PAUSED`.
 */
export async function requestPause(
  db: Queryable,
  tables: TableNames,
  poolId: string,
  jobId: string,
  timeoutMs: number,
): Promise<ControlMessage> {
  const sent = await notifying(
    db,
    tables,
    'pause',
    [poolId, jobId, timeoutMs],
    `
    pause_requested_at = now(), pause_timeout_ms = $3
    WHERE pool_id = $1 AND job_id = $2 AND status = 'active'
      AND lease_owner IS NOT NULL AND pause_requested_at IS NULL`,
  );
  if (sent !== undefined) return sent;

  const state = await readControlState(db, tables, poolId, jobId);
  if (state.pauseRequested) throw refusal('JOB_ALREADY_PAUSED', jobId, 'is paused already');
  throw refusal('JOB_NOT_RUNNING', jobId, 'has no run in progress to pause');
}

/**
 * Lets a paused run go on. `undefined` when the job has no pause to lift.
 */
export function liftPause(
  db: Queryable,
  tables: TableNames,
  poolId: string,
  jobId: string,
): Promise<ControlMessage | undefined> {
  return notifying(
    db,
    tables,
    'resume',
    [poolId, jobId],
    `
    pause_requested_at = NULL, pause_timeout_ms = NULL
    WHERE pool_id = $1 AND job_id = $2 AND status = 'active' AND pause_requested_at IS NOT NULL`,
  );
}

/**
 * Puts a stopped job back on its schedule at `dueMs`, if its row is still at `version`.
 * `undefined` when it changed in between.
 */
export function restartStopped(
  db: Queryable,
  tables: TableNames,
  poolId: string,
  jobId: string,
  version: number,
  dueMs: number | undefined,
): Promise<ControlMessage | undefined> {
  const due = dueMs === undefined ? null : new Date(dueMs);
  return notifying(
    db,
    tables,
    'resume',
    [poolId, jobId, version, due],
    `
    status = CASE WHEN $4::timestamptz IS NULL THEN 'ended' ELSE 'active' END,
    due_at = $4, retries_used = 0
    WHERE pool_id = $1 AND job_id = $2 AND status = 'stopped' AND version = $3`,
  );
}

/**
 * Stops a job cluster-wide: no process claims it until it is resumed, and the process
 * running it aborts the run. Stopping a stopped job does nothing.
 *
 * @throws OrbitError `JOB_NOT_FOUND` for a job the pool does not hold (or that ended).
 */
export async function requestStop(
  db: Queryable,
  tables: TableNames,
  poolId: string,
  jobId: string,
): Promise<ControlMessage | undefined> {
  const sent = await notifying(
    db,
    tables,
    'stop',
    [poolId, jobId],
    `
    status = 'stopped', pause_requested_at = NULL, pause_timeout_ms = NULL
    WHERE pool_id = $1 AND job_id = $2 AND status = 'active'`,
  );
  if (sent !== undefined) return sent;

  const state = await readControlState(db, tables, poolId, jobId);
  if (state.status === 'ended') throw refusal('JOB_NOT_FOUND', jobId, 'has ended');
  return undefined;
}

/** A run withdraws a pause it did not take in time; only its own lease can. */
export async function withdrawPause(
  db: Queryable,
  tables: TableNames,
  poolId: string,
  jobId: string,
  fence: number,
  owner: string,
): Promise<void> {
  await db.query(
    `UPDATE ${tables.jobs} SET pause_requested_at = NULL, pause_timeout_ms = NULL,
            control_seq = control_seq + 1
      WHERE pool_id = $1 AND job_id = $2 AND fence = $3 AND lease_owner = $4`,
    [poolId, jobId, fence, owner],
  );
}

/** @throws OrbitError `JOB_NOT_FOUND` when the pool holds no such job. */
export async function readControlState(
  db: Queryable,
  tables: TableNames,
  poolId: string,
  jobId: string,
): Promise<ControlState> {
  const { rows } = await db.query<{
    status: ControlState['status'];
    lease_owner: string | null;
    pause_requested_at: Date | null;
    version: string;
    due_at: Date | null;
    run_tick: Date | null;
    db_now: Date;
  }>(
    `SELECT status, lease_owner, pause_requested_at, version, due_at, run_tick, now() AS db_now
       FROM ${tables.jobs} WHERE pool_id = $1 AND job_id = $2`,
    [poolId, jobId],
  );
  const row = rows[0];
  if (row === undefined) throw refusal('JOB_NOT_FOUND', jobId, `is not in pool '${poolId}'`);
  return {
    status: row.status,
    leaseOwner: row.lease_owner ?? undefined,
    pauseRequested: row.pause_requested_at !== null,
    version: toCount(row.version),
    dueMs: toMs(row.due_at),
    runTickMs: toMs(row.run_tick),
    dbNowMs: row.db_now.getTime(),
  };
}

/**
 * Runs `UPDATE jobs SET <change>` with the control bookkeeping, and announces the command
 * on the channel in the same statement, so the message goes out exactly when it commits.
 */
async function notifying(
  db: Queryable,
  tables: TableNames,
  command: ControlMessage['command'],
  values: readonly unknown[],
  change: string,
): Promise<ControlMessage | undefined> {
  const channel = `$${values.length + 1}`;
  const { rows } = await db.query<{ message: string }>(
    `WITH u AS (
       UPDATE ${tables.jobs} SET control_seq = control_seq + 1, version = version + 1,
              updated_at = now(), ${change}
       RETURNING pool_id, job_id, control_seq, lease_owner, fence, pause_timeout_ms
     ),
     m AS (
       SELECT json_build_object('pool', pool_id, 'job', job_id, 'command', '${command}',
                'seq', control_seq, 'owner', lease_owner, 'fence', fence,
                'timeoutMs', pause_timeout_ms)::text AS message
         FROM u
     )
     SELECT message, pg_notify(${channel}, message) FROM m`,
    [...values, tables.channel],
  );
  const row = rows[0];
  return row === undefined ? undefined : parseControlMessage(row.message);
}

/** Reads a notification payload; `undefined` for anything that is not one of ours. */
export function parseControlMessage(payload: string): ControlMessage | undefined {
  try {
    const value = JSON.parse(payload) as Partial<ControlMessage>;
    if (typeof value.pool !== 'string' || typeof value.job !== 'string') return undefined;
    if (!['pause', 'resume', 'stop'].includes(value.command ?? '')) return undefined;
    return value as ControlMessage;
  } catch {
    return undefined;
  }
}

function refusal(
  code: 'JOB_NOT_FOUND' | 'JOB_NOT_RUNNING' | 'JOB_ALREADY_PAUSED',
  jobId: string,
  what: string,
): OrbitError {
  return new OrbitError(code, `job '${jobId}' ${what}`, { jobId });
}
