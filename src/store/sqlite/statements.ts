import type { Database, Statement } from 'better-sqlite3';

const JOB_COLUMNS = `job_id, schedule_hash, status, due_at, fence, success, failure,
  retries_used, last_start_at, last_end_at, last_error_code, last_error_message, data`;
const RUN_COLUMNS = `job_id, fence, scheduled_at, node, owner, started_at, ended_at, outcome,
  error_code, error_message`;

/** Every statement the SQLite store runs, prepared once per database. */
export class Statements {
  readonly selectJob: Statement;
  readonly insertJob: Statement;
  readonly reschedule: Statement;
  readonly claim: Statement;
  readonly insertRun: Statement;
  readonly endRun: Statement;
  readonly endJob: Statement;
  readonly trimRuns: Statement;
  readonly setStatus: Statement;
  readonly deleteJob: Statement;
  readonly deleteRuns: Statement;
  readonly lostRun: Statement;
  readonly history: Statement;
  readonly listJobs: Statement;

  constructor(db: Database, p: string) {
    const job = `pool_id = @poolId AND job_id = @jobId`;

    this.selectJob = db.prepare(`SELECT ${JOB_COLUMNS} FROM ${p}jobs WHERE ${job}`);
    this.insertJob = db.prepare(
      `INSERT INTO ${p}jobs (pool_id, job_id, name, schedule_hash, status, due_at, updated_at)
       VALUES (@poolId, @jobId, @name, @scheduleHash, 'waiting', @dueAt, @nowMs)`,
    );
    this.reschedule = db.prepare(
      `UPDATE ${p}jobs SET schedule_hash = @scheduleHash, name = @name, due_at = @dueAt,
         status = CASE status WHEN 'ended' THEN 'waiting' ELSE status END, updated_at = @nowMs
       WHERE ${job} RETURNING ${JOB_COLUMNS}`,
    );
    this.claim = db.prepare(
      `UPDATE ${p}jobs SET status = 'running', fence = fence + 1, due_at = @scheduledAt,
         last_start_at = @startedAt, last_end_at = NULL, updated_at = @startedAt
       WHERE ${job} RETURNING ${JOB_COLUMNS}`,
    );
    this.insertRun = db.prepare(
      `INSERT INTO ${p}runs (pool_id, job_id, fence, scheduled_at, node, owner, started_at,
         outcome)
       VALUES (@poolId, @jobId, @fence, @scheduledAt, @node, @owner, @startedAt, 'running')`,
    );
    this.endRun = db.prepare(
      `UPDATE ${p}runs SET ended_at = @endedAt, outcome = @outcome, error_code = @errorCode,
         error_message = @errorMessage
       WHERE ${job} AND fence = @fence AND outcome = 'running'`,
    );
    this.endJob = db.prepare(
      `UPDATE ${p}jobs SET status = @status, due_at = @dueAt, success = @success,
         failure = @failure, retries_used = @retriesUsed, last_end_at = @endedAt,
         last_error_code = @errorCode, last_error_message = @errorMessage, data = @data,
         updated_at = @endedAt
       WHERE ${job} AND fence = @fence`,
    );
    this.trimRuns = db.prepare(`DELETE FROM ${p}runs WHERE ${job} AND fence <= @fence`);
    this.setStatus = db.prepare(
      `UPDATE ${p}jobs SET status = @status, due_at = @dueAt, updated_at = @nowMs WHERE ${job}`,
    );
    this.deleteJob = db.prepare(`DELETE FROM ${p}jobs WHERE ${job}`);
    this.deleteRuns = db.prepare(`DELETE FROM ${p}runs WHERE ${job}`);
    this.lostRun = db.prepare(
      `SELECT ${RUN_COLUMNS} FROM ${p}runs
       WHERE ${job} AND outcome = 'running' AND owner <> @owner
       ORDER BY fence DESC LIMIT 1`,
    );
    this.history = db.prepare(
      `SELECT ${RUN_COLUMNS} FROM ${p}runs WHERE ${job} ORDER BY fence DESC LIMIT @limit`,
    );
    this.listJobs = db.prepare(
      `SELECT pool_id, ${JOB_COLUMNS} FROM ${p}jobs
       WHERE @poolId IS NULL OR pool_id = @poolId
       ORDER BY pool_id, job_id`,
    );
  }
}
