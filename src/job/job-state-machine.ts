import type { OrbitError } from '../errors/orbit-error.js';
import { firstDue, nextDue } from '../schedule/schedule.js';
import type { Job } from './job.js';
import { JobStatus } from './job-status.js';
import { Run, type RunHost } from './run.js';

/** Which status may follow which. Anything else is a bug in Orbit, not a user error. */
const NEXT_STATUSES: Readonly<Record<JobStatus, readonly JobStatus[]>> = {
  waiting: ['running', 'stopped', 'ended'],
  running: ['paused', 'completed', 'error', 'stopped'],
  paused: ['running', 'completed', 'error', 'stopped'],
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
}

/**
 * The job state machine: every status change of every job happens here, in one place,
 * with the schedule and retry decisions that go with it.
 *
 *   waiting → running → completed | error → waiting   (while the job has a future)
 *   running ⇄ paused;  any live status → stopped → waiting (on resume)
 *   completed | error | waiting → ended               (window over, retries used up)
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
  }

  /** A due job starts a run. */
  begin(job: Job, nowMs: number): Run {
    job.clearRunState();
    job.fence++;
    job.lastStartMs = nowMs;
    job.lastEndMs = undefined;
    const run = new Run(job, job.dueAt, this.#host);
    job.run = run;
    this.#move(job, JobStatus.Running);
    return run;
  }

  /** A run ended with success (`error` undefined) or failure; decides what comes next. */
  finish(job: Job, run: Run, error: OrbitError | undefined, nowMs: number): void {
    job.run = undefined;
    job.lastEndMs = nowMs;

    if (error === undefined) {
      job.success++;
      if (job.config.retry.resetOnSuccess) job.retriesUsed = 0;
      this.#move(job, JobStatus.Completed);
    } else {
      job.failure++;
      job.jobError = error;
      this.#move(job, JobStatus.Error);
      if (!this.#mayRetry(job)) return this.#end(job);
      job.retriesUsed++;
    }

    this.#queueOrEnd(job, nextDue(job.config.schedule, run.scheduledAtMs, nowMs));
  }

  pause(job: Job): void {
    job.run?.requestPause();
    this.#move(job, JobStatus.Paused);
  }

  /** A pause ends: taken and resumed, or withdrawn because the job never took it. */
  unpause(job: Job): void {
    job.run?.endPause();
    this.#move(job, JobStatus.Running);
  }

  /** The job runs no more until resumed; a run in progress must be aborted by the caller. */
  stop(job: Job, nowMs: number): void {
    this.#closeRun(job, nowMs);
    this.#host.dequeue(job);
    this.#move(job, JobStatus.Stopped);
  }

  /** A stopped job goes back to its schedule. */
  restart(job: Job, nowMs: number): void {
    const { schedule, startAtMs, misfire } = job.config;
    const dueMs = job.scheduled
      ? nextDue(schedule, job.dueAt, nowMs)
      : firstDue(schedule, nowMs, startAtMs, misfire);
    job.scheduled = true;
    this.#queueOrEnd(job, dueMs);
  }

  /** A stopped job of a pool that is not running waits to be scheduled by `run()`. */
  reset(job: Job): void {
    job.scheduled = false;
    this.#move(job, JobStatus.Waiting);
  }

  /** The pool shuts down: the job is recorded as stopped with `reason`. */
  shutdown(job: Job, reason: OrbitError, nowMs: number): void {
    this.#closeRun(job, nowMs);
    job.jobError = reason;
    this.#host.dequeue(job);
    this.#move(job, JobStatus.Stopped);
  }

  /** A run cut short still has an end: its duration stays on record. */
  #closeRun(job: Job, nowMs: number): void {
    if (job.run !== undefined) job.lastEndMs = nowMs;
    job.run = undefined;
  }

  /** The job's window closed before its due run could start. */
  endUnrun(job: Job): void {
    this.#end(job);
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
