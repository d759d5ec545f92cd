import type { OrbitError } from '../errors/orbit-error.js';
import type { Job } from '../job/job.js';
import type { EndedRun } from '../job/job-state-machine.js';
import { JobStatus } from '../job/job-status.js';
import type { Logger } from '../logging/logger.js';
import { dueInstantsIn, nextDue } from '../schedule/schedule.js';
import { isPromise } from '../store/maybe-promise.js';
import { InFlight } from './in-flight.js';
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
  /** Writes in flight ({@link JobLedger.settled}). */
  readonly #inFlight = new InFlight();
  /** Run ends the store failed to take, by job: sent again before the job's next claim. */
  readonly #unsent = new Map<string, RunCompletion>();
  /** Told of a run end the store refused: the run was lost and taken over elsewhere. */
  readonly #refused: (jobId: string) => void;
  /** Above 0 while the pool applies a change the store told it of: nothing to write back. */
  #echoes = 0;

  constructor(store: Store, poolId: string, logger: Logger, refused: (jobId: string) => void) {
    this.#store = store;
    this.#poolId = poolId;
    this.#logger = logger;
    this.#refused = refused;
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
    const skippedTicks = dueAt === undefined ? 0 : ticksPassedOver(job, run.scheduledAtMs, dueAt);
    this.#complete(job.id, { ...completion, status, dueAt, skippedTicks });
  }

  /** Runs `apply`, a change that came from the store, without writing status back to it. */
  fromStore<T>(apply: () => T): T {
    this.#echoes++;
    try {
      return apply();
    } finally {
      this.#echoes--;
    }
  }

  statusChanged(job: Job): void {
    if (this.#echoes > 0) return;
    const pauseTimeoutMs = job.run?.pauseTimeoutMs;
    const change = {
      jobId: job.id,
      status: storedStatus(job.status),
      dueAt: positionOf(job),
      ...(pauseTimeoutMs === undefined ? {} : { pauseTimeoutMs }),
    };
    this.#write('setStatus', job.id, () => this.#store.setStatus(this.#poolId, change));
    // The store holds the job where it is here now.
    job.atStoredPosition();
  }

  removed(jobId: string): void {
    this.#write('remove', jobId, () => this.#store.remove(this.#poolId, jobId));
  }

  /** Resolves when every write in flight has settled (the pool's `kill` waits for it). */
  settled(): Promise<void> {
    return this.#inFlight.settled();
  }

  /**
   * Sends again the end of the job's latest run if the store failed to take it: until it
   * does, the store holds the run as live and grants the job no claim.
   */
  resendEnd(jobId: string): void {
    const completion = this.#unsent.get(jobId);
    if (completion !== undefined) this.#complete(jobId, completion);
  }

  /** The end of every run goes through here: no closure is made for it. */
  #complete(jobId: string, completion: RunCompletion): void {
    let answer: MaybePromise<boolean>;
    try {
      answer = this.#store.complete(this.#poolId, completion);
    } catch (error) {
      this.#completeFailed(jobId, completion, error);
      return;
    }
    if (!isPromise(answer)) {
      if (this.#unsent.size > 0) this.#unsent.delete(jobId);
      if (!answer) this.#refused(jobId);
      return;
    }

    // Every run ends here: the write is followed without a promise of its own.
    this.#inFlight.started();
    void answer.then(
      (written) => {
        this.#inFlight.ended();
        this.#unsent.delete(jobId);
        if (!written) this.#refused(jobId);
      },
      (error: unknown) => {
        this.#inFlight.ended();
        this.#completeFailed(jobId, completion, error);
      },
    );
  }

  #completeFailed(jobId: string, completion: RunCompletion, error: unknown): void {
    this.#unsent.set(jobId, completion);
    this.#failed('complete', jobId, error);
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

    this.#inFlight.started();
    void answer.then(
      () => this.#inFlight.ended(),
      (error: unknown) => {
        this.#inFlight.ended();
        this.#failed(method, jobId, error);
      },
    );
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
  const ran = outcome !== 'stopped' && job.status === JobStatus.Waiting;
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
    skippedTicks: ran ? ticksPassedOver(job, run.scheduledAtMs, job.dueAt) : 0,
  };
}

/** Ticks after the one a run served and before the job's next due instant. */
export function ticksPassedOver(job: Job, servedMs: number, nextDueMs: number): number {
  const span = dueInstantsIn(job.config.schedule, servedMs, servedMs, nextDueMs - 1);
  return span?.count ?? 0;
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
