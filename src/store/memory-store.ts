import { invalidConfig, isPlainObject, refuseUnknownKeys } from '../config/checks.js';
import { checkAskedIds } from './storable-id.js';
import { processNodeName } from './node-name.js';
import { RunHistory } from './run-history.js';
import { StoreWatchers } from './store-watchers.js';
import type {
  ClaimResult,
  JobChange,
  JobDefinition,
  Registration,
  RunClaim,
  RunCompletion,
  RunCommand,
  RunRecord,
  StatusChange,
  StoredJob,
  StoredStatus,
  Store,
  StoreWatcher,
} from './store.js';

/** Options of {@link MemoryStore}. */
export interface MemoryStoreOptions {
  /** Runs kept per job in the history. @default 0 (monitoring holds the latest run) */
  historyLimit?: number;
}

/** A job as the memory store holds it; a won claim hands it out as a view (see `claim`). */
interface MemoryJob extends StoredJob {
  readonly jobId: string;
  scheduleHash: string;
  status: StoredStatus;
  dueAt: number | undefined;
  fence: number;
  success: number;
  failure: number;
  retriesUsed: number;
  lastStartAt: number | undefined;
  lastEndAt: number | undefined;
  lastError: StoredJob['lastError'];
  data: StoredJob['data'];
  /** The fence of the live run, if any. */
  liveFence: number | undefined;
  /** The live run's record, when the history is kept. */
  liveRecord: MutableRun | undefined;
  readonly history: RunHistory;
  /** The answer to every won claim of this job, made once. */
  readonly won: ClaimResult;
}

type MutableRun = { -readonly [K in keyof RunRecord]: RunRecord[K] };

/**
 * The default store: job state lives in this process and is gone when it exits. It keeps
 * the same rules as the durable stores, so a pool that is killed and created again on the
 * same `MemoryStore` goes on where its jobs were, and two pools that share one behave like
 * two processes sharing a database.
 */
export class MemoryStore implements Store {
  readonly durable = false;

  readonly #pools = new Map<string, Map<string, MemoryJob>>();
  readonly #historyLimit: number;
  readonly #node = processNodeName();
  readonly #watchers = new StoreWatchers();
  #lastPoolId: string | undefined;
  #lastJobs: Map<string, MemoryJob> | undefined;

  /** @throws OrbitError `INVALID_CONFIG` */
  constructor(options: MemoryStoreOptions = {}) {
    if (!isPlainObject(options)) throw invalidConfig('MemoryStore options', 'an object', options);
    refuseUnknownKeys(options, new Set(['historyLimit']), 'MemoryStore options');
    this.#historyLimit = resolveHistoryLimit(options.historyLimit, 0);
  }

  register(poolId: string, definition: JobDefinition): Registration {
    const jobs = this.#jobsOf(poolId);
    let job = jobs.get(definition.jobId);
    const isFresh = job === undefined || job.scheduleHash !== definition.scheduleHash;

    if (job === undefined) {
      job = newJob(definition, this.#historyLimit);
      jobs.set(job.jobId, job);
    } else if (isFresh) {
      job.scheduleHash = definition.scheduleHash;
      job.dueAt = definition.firstDueAt;
      if (job.status === 'ended') job.status = 'waiting';
    }

    return { job: snapshot(job), isFresh, lostRun: undefined };
  }

  /**
   * A won claim answers with a view of the job that later calls change: the pool reads it
   * at once. So a run on the memory store makes no object for its claim.
   */
  claim(poolId: string, claim: RunClaim): ClaimResult {
    const job = this.#jobsOf(poolId).get(claim.jobId);
    if (job === undefined) return { won: false, job: undefined };
    if (!isClaimable(job, claim)) return { won: false, job: snapshot(job) };

    job.fence++;
    job.liveFence = job.fence;
    job.status = 'running';
    job.dueAt = claim.scheduledAt;
    job.lastStartAt = claim.startedAt;
    job.lastEndAt = undefined;
    if (job.history.keepsRuns) {
      job.liveRecord = this.#runRecord(job, claim);
      job.history.add(job.liveRecord);
    }
    return job.won;
  }

  complete(poolId: string, completion: RunCompletion): boolean {
    const job = this.#jobsOf(poolId).get(completion.jobId);
    if (job === undefined || job.liveFence !== completion.fence) return false;

    const live = job.liveRecord;
    if (live !== undefined) {
      live.endedAt = completion.endedAt;
      live.outcome = completion.outcome;
      live.error = completion.error;
    }
    job.liveFence = undefined;
    job.liveRecord = undefined;

    const wasPaused = job.status === 'paused';
    job.status = completion.status;
    job.dueAt = completion.dueAt;
    job.success = completion.success;
    job.failure = completion.failure;
    job.retriesUsed = completion.retriesUsed;
    job.lastEndAt = completion.endedAt;
    job.lastError = completion.error;
    job.data = completion.data;
    if (wasPaused || job.status !== 'waiting') this.#changed(poolId, job, undefined);
    return true;
  }

  setStatus(poolId: string, change: StatusChange): void {
    const job = this.#jobsOf(poolId).get(change.jobId);
    if (job === undefined) return;
    job.status = change.status;
    job.dueAt = change.dueAt;
    this.#changed(poolId, job, change.pauseTimeoutMs);
  }

  command(poolId: string, command: RunCommand): boolean {
    const job = this.#jobsOf(poolId).get(command.jobId);
    const from = command.kind === 'pause' ? 'running' : 'paused';
    if (job?.liveFence === undefined || job.status !== from) return false;

    job.status = command.kind === 'pause' ? 'paused' : 'running';
    this.#changed(poolId, job, command.timeoutMs);
    return true;
  }

  /** Pools sharing this store stand for processes: no run is ever "here" for a watcher. */
  watch(poolId: string, watcher: StoreWatcher): () => void {
    return this.#watchers.add(poolId, watcher);
  }

  remove(poolId: string, jobId: string): void {
    this.#pools.get(poolId)?.delete(jobId);
  }

  job(poolId: string, jobId: string): StoredJob | undefined {
    checkAskedIds(poolId, jobId);
    const job = this.#pools.get(poolId)?.get(jobId);
    return job === undefined ? undefined : snapshot(job);
  }

  history(poolId: string, jobId: string, limit?: number): RunRecord[] {
    checkAskedIds(poolId, jobId);
    const count = checkHistoryCount(limit);
    const job = this.#pools.get(poolId)?.get(jobId);
    return job === undefined ? [] : job.history.newestFirst(count);
  }

  close(): void {
    this.#pools.clear();
    this.#watchers.clear();
    this.#lastJobs = undefined;
  }

  #changed(poolId: string, job: MemoryJob, pauseTimeoutMs: number | undefined): void {
    if (this.#watchers.isEmpty) return;
    const change: JobChange = {
      jobId: job.jobId,
      status: job.status,
      fence: job.fence,
      runsHere: false,
      dueAt: job.dueAt,
      pauseTimeoutMs,
    };
    this.#watchers.changed(poolId, change);
  }

  #runRecord(job: MemoryJob, claim: RunClaim): MutableRun {
    return {
      jobId: job.jobId,
      fence: job.fence,
      scheduledAt: claim.scheduledAt,
      node: this.#node,
      startedAt: claim.startedAt,
      endedAt: undefined,
      outcome: 'running',
      error: undefined,
    };
  }

  #jobsOf(poolId: string): Map<string, MemoryJob> {
    // Calls come in runs from one pool: the last pool's map is usually the one asked for.
    if (poolId === this.#lastPoolId && this.#lastJobs !== undefined) return this.#lastJobs;

    let jobs = this.#pools.get(poolId);
    if (jobs === undefined) {
      jobs = new Map();
      this.#pools.set(poolId, jobs);
    }
    this.#lastPoolId = poolId;
    this.#lastJobs = jobs;
    return jobs;
  }
}

/** Checks a store's `historyLimit` option. @throws OrbitError `INVALID_CONFIG` */
export function resolveHistoryLimit(value: unknown, defaultLimit: number): number {
  return value === undefined ? defaultLimit : historyCount(value, 'historyLimit');
}

/**
 * How many records `Store.history` is asked for: none said (all kept), or a whole number,
 * 0 or more. @throws OrbitError `INVALID_CONFIG`
 */
export function checkHistoryCount(limit: unknown): number | undefined {
  return limit === undefined ? undefined : historyCount(limit, 'the history limit');
}

/** A count of history records: a whole number, 0 or more. */
function historyCount(value: unknown, option: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw invalidConfig(option, 'a whole number, 0 or more', value);
  }
  return value;
}

/** Rule 2 of the store contract: whether the tick a claim asks for may be claimed. */
export function isClaimable(
  job: Pick<StoredJob, 'status' | 'dueAt'>,
  claim: Pick<RunClaim, 'scheduledAt' | 'from'>,
): boolean {
  if (job.status !== 'waiting') return false;
  const { dueAt } = job;
  if (dueAt === undefined || claim.scheduledAt === dueAt) return true;
  return claim.scheduledAt > dueAt && claim.from === dueAt;
}

function newJob(definition: JobDefinition, historyLimit: number): MemoryJob {
  const job: Omit<MemoryJob, 'won'> = {
    jobId: definition.jobId,
    scheduleHash: definition.scheduleHash,
    status: 'waiting',
    dueAt: definition.firstDueAt,
    fence: 0,
    success: 0,
    failure: 0,
    retriesUsed: 0,
    lastStartAt: undefined,
    lastEndAt: undefined,
    lastError: undefined,
    data: {},
    liveFence: undefined,
    liveRecord: undefined,
    history: new RunHistory(historyLimit),
  };
  const won = { won: true, job } as ClaimResult;
  return Object.assign(job, { won });
}

function snapshot(job: MemoryJob): StoredJob {
  return {
    jobId: job.jobId,
    scheduleHash: job.scheduleHash,
    status: job.status,
    dueAt: job.dueAt,
    fence: job.fence,
    success: job.success,
    failure: job.failure,
    retriesUsed: job.retriesUsed,
    lastStartAt: job.lastStartAt,
    lastEndAt: job.lastEndAt,
    lastError: job.lastError,
    data: job.data,
  };
}
