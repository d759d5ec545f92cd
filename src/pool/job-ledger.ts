import type { OrbitError } from '../errors/orbit-error.js';
import type { Job } from '../job/job.js';
import type { EndedRun } from '../job/job-state-machine.js';
import { JobStatus } from '../job/job-status.js';
import type { Logger } from '../logging/logger.js';
import { nextDue } from '../schedule/schedule.js';
import { isPromise } from '../store/maybe-promise.js';
import type {
  MaybePromise,
  RunCompletion,
  RunOutcome,
  Store,
  StoredStatus,
} from '../store/store.js';

const NO_DATA = Object.freeze({});

/**
 * Writes what happens to a pool's jobs into its store: the end of every run, status
 * changes, removals. The pool has already moved on in memory when it writes, so a write
 * that fails is logged, not thrown: the next claim goes through the store again and
 * finds where the job really is.
 */
export class JobLedger {
  readonly #store: Store;
  readonly #poolId: string;
  readonly #logger: Logger;
  readonly #pending = new Set<Promise<unknown>>();

  constructor(store: Store, poolId: string, logger: Logger) {
    this.#store = store;
    this.#poolId = poolId;
    this.#logger = logger;
  }

  /** A run ended: its outcome, and the job's state after it, in one write. */
  runEnded(
    job: Job,
    run: EndedRun,
    outcome: Exclude<RunOutcome, 'running'>,
    error: OrbitError | undefined,
    nowMs: number,
  ): void {
    this.#complete(job.id, completionOf(job, run, outcome, error, nowMs));
  }

  /**
   * A run was aborted because the pool shuts down. The tick it served is spent; the job
   * keeps its stored status (a pause stays on) and moves to its next due instant, so a
   * restart neither runs that tick again nor finds the job stopped.
   */
  runAborted(job: Job, run: EndedRun, reason: OrbitError, nowMs: number): void {
    const { schedule, endAtMs } = job.config;
    const dueAt = nextDue(schedule, run.scheduledAtMs, nowMs);
    const hasFuture = dueAt !== undefined && (endAtMs === undefined || dueAt <= endAtMs);
    const status = afterAbort(job.status, hasFuture);
    const completion = completionOf(job, run, 'stopped', reason, nowMs);
    this.#complete(job.id, { ...completion, status, dueAt });
  }

  statusChanged(job: Job): void {
    const change = { jobId: job.id, status: storedStatus(job.status), dueAt: positionOf(job) };
    this.#write('setStatus', job.id, () => this.#store.setStatus(this.#poolId, change));
  }

  removed(jobId: string): void {
    this.#write('remove', jobId, () => this.#store.remove(this.#poolId, jobId));
  }

  /** Resolves when every write in flight has settled (the pool's `kill` waits for it). */
  async settled(): Promise<void> {
    while (this.#pending.size > 0) await Promise.allSettled([...this.#pending]);
  }

  /** The end of every run goes through here: no closure is made for it. */
  #complete(jobId: string, completion: RunCompletion): void {
    let answer: MaybePromise<boolean>;
    try {
      answer = this.#store.complete(this.#poolId, completion);
    } catch (error) {
      this.#failed('complete', jobId, error);
      return;
    }
    this.#track('complete', jobId, answer);
  }

  #write(method: string, jobId: string, write: () => MaybePromise<unknown>): void {
    let answer: MaybePromise<unknown>;
    try {
      answer = write();
    } catch (error) {
      this.#failed(method, jobId, error);
      return;
    }
    this.#track(method, jobId, answer);
  }

  /** A write answered with a promise stays pending until it settles; a failure is logged. */
  #track(method: string, jobId: string, answer: MaybePromise<unknown>): void {
    if (!isPromise(answer)) return;

    const pending = answer.then(undefined, (error: unknown) => this.#failed(method, jobId, error));
    this.#pending.add(pending);
    void pending.finally(() => this.#pending.delete(pending));
  }

  #failed(method: string, jobId: string, error: unknown): void {
    this.#logger.error(`store.${method} failed; the job goes on from memory`, { jobId, error });
  }
}

/** The end of `run` with the job's state after it, as the state machine left the job. */
function completionOf(
  job: Job,
  run: EndedRun,
  outcome: Exclude<RunOutcome, 'running'>,
  error: OrbitError | undefined,
  nowMs: number,
): RunCompletion {
  return {
    jobId: job.id,
    fence: run.fence,
    endedAt: nowMs,
    outcome,
    error: error === undefined ? undefined : { code: error.code, message: error.message },
    status: storedStatus(job.status),
    dueAt: job.dueAt,
    success: job.success,
    failure: job.failure,
    retriesUsed: job.retriesUsed,
    data: job.savedData ?? NO_DATA,
  };
}

/** The status a store keeps for a job in `status`: the transient ones wait for a run. */
export function storedStatus(status: JobStatus): StoredStatus {
  switch (status) {
    case JobStatus.Running:
    case JobStatus.Paused:
    case JobStatus.Stopped:
    case JobStatus.Ended:
      return status;
    default:
      return 'waiting';
  }
}

/** The stored status of a job whose run was aborted: a stop or a pause stays on. */
function afterAbort(status: JobStatus, hasFuture: boolean): StoredStatus {
  if (status === JobStatus.Stopped || status === JobStatus.Paused) return status;
  return hasFuture ? 'waiting' : 'ended';
}

/** The job's position on its schedule, once it has one. */
function positionOf(job: Job): number | undefined {
  return job.scheduled || job.restored ? job.dueAt : undefined;
}
