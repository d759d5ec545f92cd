import type { OrbitError } from '../errors/orbit-error.js';
import type { RunOutcome } from '../store/store.js';
import { catchUp, nextCatchUpTick } from '../schedule/misfire.js';
import { firstDue, nextDue } from '../schedule/schedule.js';
import type { Job } from './job.js';
import { JobStatus } from './job-status.js';
import { Run, type RunHost } from './run.js';

/** What the state machine needs of a run that ended: the tick it served and its fence. */
export type EndedRun = Pick<Run, 'scheduledAtMs' | 'fence'>;

/** A run that a store found live, left by a process that is gone. */
export interface LostRun {
  readonly run: EndedRun;
  readonly startedAtMs: number;
  /** The job was paused in that run: the pause stays on. */
  readonly wasPaused: boolean;
}

/** Which status may follow which. Anything else is a bug in Orbit, not a user error. */
const NEXT_STATUSES: Readonly<Record<JobStatus, readonly JobStatus[]>> = {
  waiting: ['running', 'paused', 'stopped', 'ended'],
  running: ['paused', 'completed', 'error', 'stopped'],
  paused: ['running', 'waiting', 'completed', 'error', 'stopped'],
  completed: ['waiting', 'ended', 'stopped'],
  error: ['waiting', 'ended', 'stopped'],
  stopped: ['waiting', 'stopped'],
  ended: [],
};

/** What the state machine needs from the pool around it. */
export interface JobStateHost extends RunHost {
  /** Every status change and every change of counts, data or errors. */
  changed(job: Job): void;
  /** Put the job in the dispatch queue at its `dueAt`. */
  enqueue(job: Job): void;
  /** Take the job out of the dispatch queue. */
  dequeue(job: Job): void;
  /** The job ended and leaves the pool. */
  depart(job: Job): void;
  /**
   * A run ended (finished or stopped): the store records it with the job's state after
   * it. `error` is `undefined` for a success.
   */
  runEnded(
    job: Job,
    run: EndedRun,
    outcome: Exclude<RunOutcome, 'running'>,
    error: OrbitError | undefined,
    nowMs: number,
  ): void;
  /** The job's status or position changed other than by the end of a run. */
  statusChanged(job: Job): void;
}

/**
 * The job state machine: every status change of every job happens here, in one place,
 * with the schedule and retry decisions that go with it.
 *
 *   waiting → running → completed | error → waiting   (while the job has a future)
 *   running ⇄ paused;  any live status → stopped → waiting (on resume)
 *   completed | error | waiting → ended               (window over, retries used up)
 *   waiting → paused → waiting                        (a pause kept by a store, whose run
 *                                                      was lost with its process)
 */
export class JobStateMachine {
  readonly #host: JobStateHost;

  constructor(host: JobStateHost) {
    this.#host = host;
  }

  /** Gives a waiting job its first due instant, or ends it when it has none. */
  scheduleFirst(job: Job, nowMs: number): void {
    const { schedule, startAtMs, misfire } = job.config;
    job.scheduled = true;
    this.#queueOrEnd(job, firstDue(schedule, nowMs, startAtMs, misfire));
    if (job.status === JobStatus.Ended) this.#host.statusChanged(job);
  }

  /**
   * Queues a job restored from a store at the position the store kept, after applying its
   * misfire policy to the ticks missed while no process ran it.
   */
  scheduleRestored(job: Job, nowMs: number): void {
    const { schedule, misfire } = job.config;
    const resumed = catchUp(schedule, job.dueAt, nowMs, misfire);
    job.restored = false;
    job.catchUpUntilMs = resumed.catchUpUntilMs;
    this.#queueOrEnd(job, resumed.dueMs);
    if (job.status === JobStatus.Ended) this.#host.statusChanged(job);
  }

  /** A due job starts the run that the store gave `fence`. */
  begin(job: Job, nowMs: number, fence: number): Run {
    job.clearRunState();
    job.fence = fence;
    job.lastScheduledMs = job.dueAt;
    job.lastStartMs = nowMs;
    job.lastEndMs = undefined;
    const run = new Run(job, job.dueAt, this.#host);
    job.run = run;
    this.#move(job, JobStatus.Running);
    return run;
  }

  /** A run ended with success (`error` undefined) or failure; decides what comes next. */
  finish(job: Job, run: EndedRun, error: OrbitError | undefined, nowMs: number): void {
    job.run = undefined;
    job.lastEndMs = nowMs;

    if (error === undefined) {
      job.success++;
      if (job.config.retry.resetOnSuccess) job.retriesUsed = 0;
      this.#move(job, JobStatus.Completed);
      this.#queueOrEnd(job, this.#dueAfter(job, run.scheduledAtMs, nowMs));
    } else {
      job.failure++;
      job.jobError = error;
      this.#move(job, JobStatus.Error);
      if (this.#mayRetry(job)) {
        job.retriesUsed++;
        this.#queueOrEnd(job, this.#dueAfter(job, run.scheduledAtMs, nowMs));
      } else {
        this.#end(job);
      }
    }

    this.#host.runEnded(job, run, error === undefined ? 'success' : 'failure', error, nowMs);
  }

  /**
   * A run that a store found live, left by a process that is gone: it fails with
   * `RUN_LOST` through the retry policy. A pause that was on stays on.
   */
  recoverLost(job: Job, lost: LostRun, error: OrbitError, nowMs: number): void {
    const { run, startedAtMs, wasPaused } = lost;
    job.lastStartMs = startedAtMs;
    job.scheduled = true;
    job.fence = run.fence;
    job.dueAt = run.scheduledAtMs;
    this.#move(job, JobStatus.Running);
    this.finish(job, run, error, nowMs);
    if (wasPaused && job.status === JobStatus.Waiting) this.hold(job);
  }

  /** A pause kept by a store without its run: the job waits, paused, for `resumeJob`. */
  hold(job: Job): void {
    this.#host.dequeue(job);
    this.#move(job, JobStatus.Paused);
    this.#host.statusChanged(job);
  }

  /** A stored status comes back: `stopped` and `ended` jobs do not run. */
  restoreStatus(job: Job, status: JobStatus): void {
    if (status === JobStatus.Ended) this.#end(job);
    else this.#move(job, status);
  }

  pause(job: Job): void {
    job.run?.requestPause();
    this.#move(job, JobStatus.Paused);
    this.#host.statusChanged(job);
  }

  /** A pause ends: taken and resumed, or withdrawn because the job never took it. */
  unpause(job: Job): void {
    job.run?.endPause();
    this.#move(job, JobStatus.Running);
    this.#host.statusChanged(job);
  }

  /**
   * The job runs no more until resumed. A run in progress (its signal aborted by the
   * caller) ends as stopped with `reason`.
   */
  stop(job: Job, reason: OrbitError, nowMs: number): void {
    const run = job.run;
    this.#closeRun(job, nowMs);
    this.#host.dequeue(job);
    this.#move(job, JobStatus.Stopped);
    if (run === undefined) this.#host.statusChanged(job);
    else this.#host.runEnded(job, run, 'stopped', reason, nowMs);
  }

  /** A stopped job, or one held paused without a run, goes back to its schedule. */
  restart(job: Job, nowMs: number): void {
    const { schedule, startAtMs, misfire } = job.config;
    const dueMs = job.scheduled
      ? nextDue(schedule, job.dueAt, nowMs)
      : firstDue(schedule, nowMs, startAtMs, misfire);
    job.scheduled = true;
    job.restored = false;
    this.#queueOrEnd(job, dueMs);
    this.#host.statusChanged(job);
  }

  /** A stopped job of a pool that is not running waits to be scheduled by `run()`. */
  reset(job: Job): void {
    job.scheduled = false;
    this.#move(job, JobStatus.Waiting);
    this.#host.statusChanged(job);
  }

  /** The pool shuts down: the job is recorded as stopped with `reason`. */
  shutdown(job: Job, reason: OrbitError, nowMs: number): void {
    this.#closeRun(job, nowMs);
    job.jobError = reason;
    this.#host.dequeue(job);
    this.#move(job, JobStatus.Stopped);
  }

  /** The next due instant after a run: every missed tick in turn while catching up. */
  #dueAfter(job: Job, scheduledAtMs: number, nowMs: number): number | undefined {
    const { schedule } = job.config;
    if (job.catchUpUntilMs !== undefined) {
      const tickMs = nextCatchUpTick(schedule, scheduledAtMs, job.catchUpUntilMs);
      if (tickMs !== undefined) return tickMs;
      job.catchUpUntilMs = undefined;
    }
    return nextDue(schedule, scheduledAtMs, nowMs);
  }

  /** A run cut short still has an end: its duration stays on record. */
  #closeRun(job: Job, nowMs: number): void {
    if (job.run !== undefined) job.lastEndMs = nowMs;
    job.run = undefined;
  }

  /** The job's window closed before its due run could start. */
  endUnrun(job: Job): void {
    this.#end(job);
    this.#host.statusChanged(job);
  }

  #mayRetry(job: Job): boolean {
    const { active, count } = job.config.retry;
    return active && (count === 0 || job.retriesUsed < count);
  }

  #queueOrEnd(job: Job, dueMs: number | undefined): void {
    const { endAtMs } = job.config;
    if (dueMs === undefined || (endAtMs !== undefined && dueMs > endAtMs)) return this.#end(job);

    job.dueAt = dueMs;
    this.#move(job, JobStatus.Waiting);
    this.#host.enqueue(job);
  }

  #end(job: Job): void {
    this.#host.dequeue(job);
    this.#move(job, JobStatus.Ended);
    this.#host.depart(job);
  }

  #move(job: Job, to: JobStatus): void {
    const from = job.status;
    if (from !== to && !NEXT_STATUSES[from].includes(to)) {
      // Unreachable while the callers check statuses first; loud if that ever breaks.
      throw new Error(`Orbit: job '${job.id}' cannot go from ${from} to ${to}`);
    }
    job.status = to;
    this.#host.changed(job);
  }
}
