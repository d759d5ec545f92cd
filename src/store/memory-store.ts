import { invalidConfig, isPlainObject, refuseUnknownKeys } from '../config/checks.js';
import { processNodeName } from './node-name.js';
import { RunHistory } from './run-history.js';
import type {
  ClaimResult,
  JobDefinition,
  Registration,
  RunClaim,
  RunCompletion,
  RunRecord,
  StatusChange,
  StoredJob,
  StoredStatus,
  Store,
} from './store.js';

/** Options of {@link MemoryStore}. */
export interface MemoryStoreOptions {
  /** Runs kept per job in the history. @default 0 (monitoring holds the latest run) */
  historyLimit?: number;
}

/** A job as the memory store holds it: mutable, and never handed out. */
interface MemoryJob {
  jobId: string;
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
  /** The live run, if any. */
  live: { -readonly [K in keyof RunRecord]: RunRecord[K] } | undefined;
  history: RunHistory;
}

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

  claim(poolId: string, claim: RunClaim): ClaimResult {
    const job = this.#jobsOf(poolId).get(claim.jobId);
    if (job === undefined) return { won: false, job: undefined };
    if (!isClaimable(job, claim.scheduledAt)) return { won: false, job: snapshot(job) };

    job.fence++;
    job.status = 'running';
    job.dueAt = claim.scheduledAt;
    job.lastStartAt = claim.startedAt;
    job.lastEndAt = undefined;
    job.live = {
      jobId: job.jobId,
      fence: job.fence,
      scheduledAt: claim.scheduledAt,
      node: this.#node,
      startedAt: claim.startedAt,
      endedAt: undefined,
      outcome: 'running',
      error: undefined,
    };
    job.history.add(job.live);
    return { won: true, job: snapshot(job) };
  }

  complete(poolId: string, completion: RunCompletion): boolean {
    const job = this.#jobsOf(poolId).get(completion.jobId);
    const live = job?.live;
    if (job === undefined || live === undefined || live.fence !== completion.fence) return false;

    live.endedAt = completion.endedAt;
    live.outcome = completion.outcome;
    live.error = completion.error;
    job.live = undefined;

    job.status = completion.status;
    job.dueAt = completion.dueAt;
    job.success = completion.success;
    job.failure = completion.failure;
    job.retriesUsed = completion.retriesUsed;
    job.lastEndAt = completion.endedAt;
    job.lastError = completion.error;
    job.data = completion.data;
    return true;
  }

  setStatus(poolId: string, change: StatusChange): void {
    const job = this.#jobsOf(poolId).get(change.jobId);
    if (job === undefined) return;
    job.status = change.status;
    job.dueAt = change.dueAt;
  }

  remove(poolId: string, jobId: string): void {
    this.#pools.get(poolId)?.delete(jobId);
  }

  job(poolId: string, jobId: string): StoredJob | undefined {
    const job = this.#pools.get(poolId)?.get(jobId);
    return job === undefined ? undefined : snapshot(job);
  }

  history(poolId: string, jobId: string, limit?: number): RunRecord[] {
    const job = this.#pools.get(poolId)?.get(jobId);
    return job === undefined ? [] : job.history.newestFirst(limit);
  }

  close(): void {
    this.#pools.clear();
  }

  #jobsOf(poolId: string): Map<string, MemoryJob> {
    let jobs = this.#pools.get(poolId);
    if (jobs === undefined) {
      jobs = new Map();
      this.#pools.set(poolId, jobs);
    }
    return jobs;
  }
}

/** Checks a store's `historyLimit` option. @throws OrbitError `INVALID_CONFIG` */
export function resolveHistoryLimit(value: unknown, defaultLimit: number): number {
  if (value === undefined) return defaultLimit;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw invalidConfig('historyLimit', 'a whole number, 0 or more', value);
  }
  return value;
}

/** Rule 2 of the store contract: whether a tick at `scheduledAt` may be claimed. */
export function isClaimable(
  job: Pick<StoredJob, 'status' | 'dueAt'>,
  scheduledAt: number,
): boolean {
  return job.status === 'waiting' && (job.dueAt === undefined || scheduledAt >= job.dueAt);
}

function newJob(definition: JobDefinition, historyLimit: number): MemoryJob {
  return {
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
    live: undefined,
    history: new RunHistory(historyLimit),
  };
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
