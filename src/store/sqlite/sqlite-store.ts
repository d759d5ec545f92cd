import { randomUUID } from 'node:crypto';
import Database from 'better-sqlite3';
import { OrbitError } from '../../errors/orbit-error.js';
import {
  checkListJobsFilter,
  type ListableStore,
  type ListedJob,
  type ListJobsFilter,
} from '../listed-job.js';
import { checkHistoryCount, isClaimable } from '../memory-store.js';
import { checkAskedIds, checkStorableId } from '../storable-id.js';
import { processNodeName } from '../node-name.js';
import { StoreWatchers } from '../store-watchers.js';
import type {
  ClaimResult,
  JobDefinition,
  Registration,
  RunClaim,
  RunCompletion,
  RunCommand,
  RunRecord,
  StatusChange,
  Store,
  StoredJob,
  StoreWatcher,
} from '../store.js';
import { migrate } from './migrations.js';
import {
  toRunRecord,
  toStoredJob,
  serializeData,
  type JobRow,
  type ListedJobRow,
  type RunRow,
} from './rows.js';
import { resolveSqliteOptions, type SqliteStoreOptions } from './sqlite-options.js';
import { Statements } from './statements.js';

/** How long opening waits for another process that is creating or migrating the schema. */
const OPEN_BUSY_TIMEOUT_MS = 5000;

const UNKNOWN_JOB: ClaimResult = Object.freeze({ won: false, job: undefined });

/**
 * A durable store in one SQLite file, on `better-sqlite3`: jobs go on where they were
 * when the process starts again. Every call is synchronous and short, so the pool's hot
 * path makes no promise. The file is in WAL mode, every write that reads first runs in a
 * `BEGIN IMMEDIATE` transaction, and a locked file is waited for at most `busyTimeout`
 * (it blocks the event loop meanwhile) before the call fails with `STORE_UNAVAILABLE`.
 *
 * One process runs the jobs of a pool id in a file (several pools, or a reader such as a
 * dashboard or `orbit list`, may share it): runs left live by an earlier process are taken
 * as lost.
 *
 * @example
 * import { SqliteStore } from 'orbit-scheduler/sqlite';
 * const store = new SqliteStore({ path: './orbit.db' });
 * const pool = orbit.createPool({ id: 'reports', store });
 */
export class SqliteStore implements Store, ListableStore {
  readonly durable = true;

  readonly #db: Database.Database;
  readonly #sql: Statements;
  readonly #historyLimit: number;
  readonly #node = processNodeName();
  /** This opening of the file: runs that another opening left live are lost. */
  readonly #owner = randomUUID();
  readonly #register: (poolId: string, definition: JobDefinition) => Registration;
  readonly #claim: (poolId: string, claim: RunClaim) => ClaimResult;
  readonly #complete: (poolId: string, completion: RunCompletion) => boolean;
  readonly #remove: (poolId: string, jobId: string) => void;
  readonly #watchers = new StoreWatchers();

  /**
   * Opens (or creates) the file and brings its schema up to date.
   *
   * @throws OrbitError `INVALID_CONFIG` for bad options, `STORE_UNAVAILABLE` when the file
   * cannot be opened or migrated.
   */
  constructor(options: SqliteStoreOptions) {
    const resolved = resolveSqliteOptions(options);
    this.#historyLimit = resolved.historyLimit;
    this.#db = guard('open the SQLite file', () => openDatabase(resolved.path));
    guard('prepare the SQLite schema', () => {
      this.#db.pragma(`busy_timeout = ${OPEN_BUSY_TIMEOUT_MS}`);
      this.#db.pragma('journal_mode = WAL');
      this.#db.pragma('synchronous = NORMAL');
      migrate(this.#db, resolved.tablePrefix);
      this.#db.pragma(`busy_timeout = ${resolved.busyTimeoutMs}`);
    });

    this.#sql = new Statements(this.#db, resolved.tablePrefix);
    this.#register = immediate(this.#db, (poolId, definition) =>
      this.#registerNow(poolId, definition),
    );
    this.#claim = immediate(this.#db, (poolId, claim) => this.#claimNow(poolId, claim));
    this.#complete = immediate(this.#db, (poolId, completion) =>
      this.#completeNow(poolId, completion),
    );
    this.#remove = immediate(this.#db, (poolId: string, jobId: string) => {
      this.#sql.deleteRuns.run({ poolId, jobId });
      this.#sql.deleteJob.run({ poolId, jobId });
    });
  }

  register(poolId: string, definition: JobDefinition): Registration {
    return guard('register a job', () => this.#register(poolId, definition));
  }

  claim(poolId: string, claim: RunClaim): ClaimResult {
    return guard('claim a run', () => this.#claim(poolId, claim));
  }

  complete(poolId: string, completion: RunCompletion): boolean {
    const wasPaused =
      !this.#watchers.isEmpty && this.job(poolId, completion.jobId)?.status === 'paused';
    const written = guard('record the end of a run', () => this.#complete(poolId, completion));
    if (written && (wasPaused || completion.status !== 'waiting')) {
      this.#changed(poolId, completion.jobId, undefined);
    }
    return written;
  }

  setStatus(poolId: string, change: StatusChange): void {
    const { jobId, status, dueAt } = change;
    const params = { poolId, jobId, status, dueAt: dueAt ?? null, nowMs: Date.now() };
    guard('record a status', () => this.#sql.setStatus.run(params));
    this.#changed(poolId, jobId, change.pauseTimeoutMs);
  }

  /**
   * One process runs a pool id on a file, so a live run is this process's: the command
   * is recorded and told to the pool's watchers here.
   */
  command(poolId: string, command: RunCommand): boolean {
    const stored = this.job(poolId, command.jobId);
    const from = command.kind === 'pause' ? 'running' : 'paused';
    if (stored?.status !== from) return false;

    const status = command.kind === 'pause' ? 'paused' : 'running';
    const { jobId, timeoutMs } = command;
    this.setStatus(poolId, { jobId, status, dueAt: stored.dueAt, pauseTimeoutMs: timeoutMs });
    return true;
  }

  /** Changes reach the pools of this process only: one process runs a pool id on a file. */
  watch(poolId: string, watcher: StoreWatcher): () => void {
    return this.#watchers.add(poolId, watcher);
  }

  remove(poolId: string, jobId: string): void {
    guard('remove a job', () => this.#remove(poolId, jobId));
  }

  job(poolId: string, jobId: string): StoredJob | undefined {
    checkAskedIds(poolId, jobId);
    const row = guard('read a job', () => this.#sql.selectJob.get({ poolId, jobId }));
    return row === undefined ? undefined : toStoredJob(row as JobRow);
  }

  /** Refuses a job or pool id SQLite would keep as another: one with a lone surrogate. */
  checkId(id: string, of: 'job' | 'pool'): void {
    checkStorableId(id, of, 'SqliteStore', { maxBytes: Number.POSITIVE_INFINITY, nul: true });
  }

  history(poolId: string, jobId: string, limit?: number): RunRecord[] {
    checkAskedIds(poolId, jobId);
    const count = checkHistoryCount(limit) ?? -1;
    const rows = guard('read a history', () =>
      this.#sql.history.all({ poolId, jobId, limit: count }),
    );
    return (rows as RunRow[]).map(toRunRecord);
  }

  /**
   * Every job the file holds, of one pool or of all, ordered by pool and job id: the jobs
   * of every process that shares the file, as they are now. Read-only.
   *
   * @throws OrbitError `INVALID_CONFIG` for a bad filter, `STORE_UNAVAILABLE` when the
   * file cannot be read.
   */
  listJobs(filter?: ListJobsFilter): ListedJob[] {
    const { poolId } = checkListJobsFilter(filter);
    const rows = guard('list jobs', () => this.#sql.listJobs.all({ poolId: poolId ?? null }));
    return (rows as ListedJobRow[]).map((row) => ({ poolId: row.pool_id, ...toStoredJob(row) }));
  }

  close(): void {
    this.#watchers.clear();
    if (this.#db.open) this.#db.close();
  }

  #changed(poolId: string, jobId: string, pauseTimeoutMs: number | undefined): void {
    if (this.#watchers.isEmpty) return;
    const job = this.job(poolId, jobId);
    if (job === undefined) return;
    const { status, fence, dueAt } = job;
    const runsHere = status === 'running' || status === 'paused';
    this.#watchers.changed(poolId, { jobId, status, fence, runsHere, dueAt, pauseTimeoutMs });
  }

  #registerNow(poolId: string, definition: JobDefinition): Registration {
    const { jobId, name, scheduleHash, firstDueAt } = definition;
    const params = { poolId, jobId, name, scheduleHash, dueAt: firstDueAt ?? null };
    const nowMs = Date.now();
    let row = this.#sql.selectJob.get(params) as JobRow | undefined;
    let isFresh = true;

    if (row === undefined) {
      this.#sql.insertJob.run({ ...params, nowMs });
      row = this.#sql.selectJob.get(params) as JobRow;
    } else if (row.schedule_hash !== scheduleHash) {
      row = this.#sql.reschedule.get({ ...params, nowMs }) as JobRow;
    } else {
      isFresh = false;
    }

    const lost = this.#sql.lostRun.get({ poolId, jobId, owner: this.#owner }) as RunRow | undefined;
    return { job: toStoredJob(row), isFresh, lostRun: lost && toRunRecord(lost) };
  }

  #claimNow(poolId: string, claim: RunClaim): ClaimResult {
    const { jobId, scheduledAt, startedAt } = claim;
    const params = { poolId, jobId, scheduledAt, startedAt };
    const row = this.#sql.selectJob.get(params) as JobRow | undefined;
    if (row === undefined) return UNKNOWN_JOB;

    const stored = { status: row.status, dueAt: row.due_at ?? undefined };
    if (!isClaimable(stored, claim)) return { won: false, job: toStoredJob(row) };

    const claimed = this.#sql.claim.get(params) as JobRow;
    this.#sql.insertRun.run({
      ...params,
      fence: claimed.fence,
      node: this.#node,
      owner: this.#owner,
    });
    return { won: true, job: toStoredJob(claimed) };
  }

  #completeNow(poolId: string, completion: RunCompletion): boolean {
    const { jobId, fence, error } = completion;
    const params = {
      ...completion,
      poolId,
      dueAt: completion.dueAt ?? null,
      errorCode: error?.code ?? null,
      errorMessage: error?.message ?? null,
      data: serializeData(completion.data),
    };
    if (this.#sql.endRun.run(params).changes === 0) return false;

    this.#sql.endJob.run(params);
    this.#sql.trimRuns.run({ poolId, jobId, fence: fence - this.#historyLimit });
    return true;
  }
}

function openDatabase(path: string): Database.Database {
  return new Database(path);
}

/** Wraps `fn` in a transaction that takes the write lock at its start (`BEGIN IMMEDIATE`). */
function immediate<A extends unknown[], R>(
  db: Database.Database,
  fn: (...args: A) => R,
): (...args: A) => R {
  const transaction = db.transaction(fn);
  return (...args: A) => transaction.immediate(...args);
}

/** Runs a database call; what the driver throws becomes `STORE_UNAVAILABLE`. */
function guard<T>(what: string, call: () => T): T {
  try {
    return call();
  } catch (error) {
    if (error instanceof OrbitError) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    throw new OrbitError('STORE_UNAVAILABLE', `SQLite store could not ${what}: ${reason}`, {
      cause: error,
    });
  }
}
