import type { OrbitError } from '../errors/orbit-error.js';
import type { PoolEventReporter } from '../events/pool-event-reporter.js';
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
  /** Close a run without an outcome: its signal aborts with `reason`. */
  abandon(run: Run, reason: OrbitError): void;
}

/**
 * The job state machine: every status change of every job happens here, in one place,
 * with the schedule and retry decisions that go with it.
 *
 *   waiting → running → completed | error → waiting   (while the job has a future)
 *   running ⇄ paused;  any live status → stopped → waiting (on resume)
 *   completed | error | waiting → ended               (window over, retries used up)
 *
 * Events are reported once a change is complete, so a listener that calls back into
 * the pool finds every job in a consistent state.
 */
export class JobStateMachine {
  readonly #host: JobStateHost;
  readonly #report: PoolEventReporter;

  constructor(host: JobStateHost, report: PoolEventReporter) {
    this.#host = host;
    this.#report = report;
  }

  /** Gives a waiting job its first due instant, or ends it when it has none. */
  scheduleFirst(job: Job, nowMs: number): void {
    const { schedule, startAtMs, misfire } = job.config;
    job.scheduled = true;
    if (!this.#queueOrEnd(job, firstDue(schedule, nowMs, startAtMs, misfire))) {
      this.#report.ended(job, 'schedule-over', undefined);
    } else if (startAtMs !== undefined && startAtMs < nowMs) {
      this.#report.misfired(job, startAtMs, job.dueAt);
    }
  }

  /** A due job starts a run; the caller reports it once the run is registered. */
  begin(job: Job, nowMs: number): Run {
    job.clearRunState();
    job.fence++;
    job.lastScheduledMs = job.dueAt;
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
    const mayGoOn = error === undefined || this.#mayRetry(job);
    this.#recordOutcome(job, error);

    const dueMs = mayGoOn
      ? this.#withinWindow(job, nextDue(job.config.schedule, run.scheduledAtMs, nowMs))
      : undefined;
    const willRetry = error !== undefined && dueMs !== undefined;
    if (willRetry) job.retriesUsed++;
    const queued = this.#queueOrEnd(job, dueMs);

    this.#report.runFinished(run, error, willRetry, nowMs);
    this.#report.ticksSkipped(run, nowMs, dueMs);
    if (!queued) this.#report.ended(job, mayGoOn ? 'schedule-over' : 'failed', error);
    else if (error !== undefined) this.#report.retried(run, error);
  }

  /** A pause is asked for: the job is `paused` until it is resumed or the pause withdrawn. */
  pause(job: Job): void {
    job.run?.requestPause();
    this.#move(job, JobStatus.Paused);
  }

  /** A pause ends: taken and resumed, or withdrawn because the job never took it. */
  unpause(job: Job): void {
    job.run?.endPause();
    this.#move(job, JobStatus.Running);
  }

  /** The job runs no more until resumed; a run in progress is aborted with `reason`. */
  stop(job: Job, reason: OrbitError, nowMs: number): void {
    const run = job.run;
    const wasStopped = job.status === JobStatus.Stopped;
    this.#closeRun(job, nowMs);
    this.#host.dequeue(job);
    this.#move(job, JobStatus.Stopped);
    if (run !== undefined) this.#host.abandon(run, reason);
    if (!wasStopped) this.#report.stopped(job, reason, run);
  }

  /**
   * A stopped job is resumed. In a running pool (`nowMs` given) it goes back to its
   * schedule; otherwise it waits for `run()` to schedule it.
   */
  resumeStopped(job: Job, nowMs: number | undefined): void {
    if (nowMs === undefined) {
      job.scheduled = false;
      this.#move(job, JobStatus.Waiting);
      this.#report.resumed(job, 'stopped');
      return;
    }

    const { schedule, startAtMs, misfire } = job.config;
    const dueMs = job.scheduled
      ? nextDue(schedule, job.dueAt, nowMs)
      : firstDue(schedule, nowMs, startAtMs, misfire);
    job.scheduled = true;
    if (this.#queueOrEnd(job, dueMs)) this.#report.resumed(job, 'stopped');
    else this.#report.ended(job, 'schedule-over', undefined);
  }

  /** The pool shuts down: the job is recorded as stopped with `reason`. */
  shutdown(job: Job, reason: OrbitError, nowMs: number): void {
    job.jobError = reason;
    this.stop(job, reason, nowMs);
  }

  #recordOutcome(job: Job, error: OrbitError | undefined): void {
    if (error === undefined) {
      job.success++;
      if (job.config.retry.resetOnSuccess) job.retriesUsed = 0;
      this.#move(job, JobStatus.Completed);
    } else {
      job.failure++;
      job.jobError = error;
      this.#move(job, JobStatus.Error);
    }
  }

  /** A run cut short still has an end: its duration stays on record. */
  #closeRun(job: Job, nowMs: number): void {
    if (job.run !== undefined) job.lastEndMs = nowMs;
    job.run = undefined;
  }

  /** The job's window closed before its due run could start. */
  endUnrun(job: Job): void {
    this.#end(job);
    this.#report.ended(job, 'schedule-over', undefined);
  }

  #mayRetry(job: Job): boolean {
    const { active, count } = job.config.retry;
    return active && (count === 0 || job.retriesUsed < count);
  }

  /** `dueMs`, or `undefined` when it lies past the job's window. */
  #withinWindow(job: Job, dueMs: number | undefined): number | undefined {
    const { endAtMs } = job.config;
    return dueMs !== undefined && (endAtMs === undefined || dueMs <= endAtMs) ? dueMs : undefined;
  }

  /** Queues the job at `dueMs` and says `true`; without a due instant in its window, ends it. */
  #queueOrEnd(job: Job, dueMs: number | undefined): boolean {
    const inWindowMs = this.#withinWindow(job, dueMs);
    if (inWindowMs === undefined) {
      this.#end(job);
      return false;
    }

    job.dueAt = inWindowMs;
    this.#move(job, JobStatus.Waiting);
    this.#host.enqueue(job);
    return true;
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
