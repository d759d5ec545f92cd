import type { OrbitError } from '../errors/orbit-error.js';
import type { PoolEventReporter } from '../events/pool-event-reporter.js';
import { catchUp, nextCatchUpTick } from '../schedule/misfire.js';
import { firstDue, nextDue } from '../schedule/schedule.js';
import type { RunOutcome } from '../store/store.js';
import type { Job } from './job.js';
import { JobStatus } from './job-status.js';
import { Run, type RunHost } from './run.js';

/** What the store needs of a run that ended: the tick it served and its fence. */
export type EndedRun = Pick<Run, 'scheduledAtMs' | 'fence'>;

/** A run that a store found live, left by a process that is gone. */
export interface LostRun {
  readonly scheduledAtMs: number;
  readonly fence: number;
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
  /** Close a run without an outcome: its signal aborts with `reason`. */
  abandon(run: Run, reason: OrbitError): void;
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
      this.#endedUnrun(job);
    } else if (schedule.kind === 'interval' && startAtMs !== undefined && startAtMs < nowMs) {
      // An interval grid starts at startAt; a cron job's startAt only opens its window.
      this.#report.misfired(job, startAtMs, job.dueAt);
    }
  }

  /**
   * Queues a job restored from a store at the position the store kept, after applying its
   * misfire policy to the ticks missed while no process ran it.
   */
  scheduleRestored(job: Job, nowMs: number): void {
    const { schedule, misfire } = job.config;
    const storedDueMs = job.dueAt;
    const resumed = catchUp(schedule, storedDueMs, nowMs, misfire);
    job.restored = false;
    job.catchUpUntilMs = resumed.catchUpUntilMs ?? Number.NaN;
    if (!this.#queueOrEnd(job, resumed.dueMs)) this.#endedUnrun(job);
    else if (storedDueMs < job.dueAt) {
      job.claimFromMs = storedDueMs;
      this.#report.misfired(job, storedDueMs, job.dueAt);
    }
  }

  /**
   * A waiting job falls due at `nowMs` instead of at its next instant (`Pool.runNow`).
   * One already overdue keeps its earlier instant, and so its place among due jobs.
   */
  dueNow(job: Job, nowMs: number): void {
    job.dueAt = job.scheduled ? Math.min(job.dueAt, nowMs) : nowMs;
    job.scheduled = true;
    job.askedHere = true;
    // The store must know the earlier position, or it refuses the claim of this tick.
    this.#host.statusChanged(job);
    this.#host.enqueue(job);
    this.#host.changed(job);
  }

  /** A due job starts the run that the store gave `fence`; the caller reports it. */
  begin(job: Job, nowMs: number, fence: number): Run {
    job.clearRunState();
    job.fence = fence;
    job.lastScheduledMs = job.dueAt;
    job.lastStartMs = nowMs;
    job.lastEndMs = Number.NaN;
    const run = new Run(job, job.dueAt, this.#host);
    job.run = run;
    this.#move(job, JobStatus.Running);
    return run;
  }

  /** A run ended with success (`error` undefined) or failure; decides what comes next. */
  finish(job: Job, run: Run, error: OrbitError | undefined, nowMs: number): void {
    this.#finish(job, run, error, nowMs, false);
  }

  /**
   * `keepsOn`: a failure that the retry policy would end the job with moves it to its
   * next tick instead (a paused job whose run was lost stays paused, not ended).
   * `nextAfterMs`: the instant its next tick comes after, and up to which the ticks that
   * fell due during the run count as skipped (now, unless the caller applies the misfire
   * policy to the ticks in between).
   */
  #finish(
    job: Job,
    run: Run,
    error: OrbitError | undefined,
    nowMs: number,
    keepsOn: boolean,
    nextAfterMs = nowMs,
  ): void {
    job.run = undefined;
    job.lastEndMs = nowMs;
    const retries = error !== undefined && this.#mayRetry(job);
    const mayGoOn = error === undefined || retries || keepsOn;
    this.#recordOutcome(job, error);

    const dueMs = mayGoOn
      ? this.#withinWindow(job, this.#dueAfter(job, run.scheduledAtMs, nextAfterMs))
      : undefined;
    const willRetry = retries && dueMs !== undefined;
    if (willRetry) job.retriesUsed++;
    const queued = this.#queueOrEnd(job, dueMs);

    this.#host.runEnded(job, run, error === undefined ? 'success' : 'failure', error, nowMs);
    this.#report.runFinished(run, error, willRetry, nowMs);
    this.#report.ticksSkipped(run, nextAfterMs, dueMs);
    if (!queued) this.#report.ended(job, mayGoOn ? 'schedule-over' : 'failed', error);
    else if (error !== undefined && willRetry) this.#report.retried(run, error);
  }

  /**
   * A run that a store found live, left by a process that is gone: it fails with
   * `RUN_LOST` through the retry policy. A pause that was on stays on: the job keeps its
   * next tick, paused, even when the policy has no retry left (only a job with no future
   * ends). Found when the job is restored, the run died with a process that nobody
   * replaced since: the job's misfire policy decides which of the ticks after it run, as
   * for a job that was waiting.
   */
  recoverLost(job: Job, lost: LostRun, error: OrbitError, nowMs: number): void {
    const afterDowntime = job.restored && !lost.wasPaused;
    job.lastStartMs = lost.startedAtMs;
    job.scheduled = true;
    job.fence = lost.fence;
    job.dueAt = lost.scheduledAtMs;
    const run = new Run(job, lost.scheduledAtMs, this.#host);
    run.phase = 'done';
    this.#move(job, JobStatus.Running);
    const nextAfterMs = afterDowntime ? lost.scheduledAtMs : nowMs;
    this.#finish(job, run, error, nowMs, lost.wasPaused, nextAfterMs);
    if (lost.wasPaused && job.status === JobStatus.Waiting) this.hold(job);
    else if (afterDowntime && job.status === JobStatus.Waiting) this.scheduleRestored(job, nowMs);
  }

  /** A pause kept by a store without its run: the job waits, paused, for `resumeJob`. */
  hold(job: Job): void {
    this.#host.dequeue(job);
    this.#move(job, JobStatus.Paused);
    this.#host.statusChanged(job);
  }

  /** A stored status comes back: `stopped` and `ended` jobs do not run. */
  restoreStatus(job: Job, status: typeof JobStatus.Stopped | typeof JobStatus.Ended): void {
    if (status === JobStatus.Ended) this.#end(job);
    else this.#move(job, status);
  }

  /** A pause is asked for: the job is `paused` until it is resumed or the pause withdrawn. */
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
   * The job runs no more until resumed; a run in progress is aborted with `reason` and
   * recorded as stopped.
   */
  stop(job: Job, reason: OrbitError, nowMs: number): void {
    const run = this.#halt(job, reason, nowMs);
    if (run === undefined) this.#host.statusChanged(job);
    else this.#host.runEnded(job, run, 'stopped', reason, nowMs);
  }

  /**
   * A stopped job is resumed. In a running pool (`nowMs` given) it goes back to its
   * schedule; otherwise it waits for `run()` to schedule it.
   */
  resumeStopped(job: Job, nowMs: number | undefined): void {
    const from = job.status === JobStatus.Paused ? 'paused' : 'stopped';
    if (nowMs === undefined) {
      job.scheduled = false;
      this.#move(job, JobStatus.Waiting);
      this.#host.statusChanged(job);
      this.#report.resumed(job, from);
      return;
    }

    const { schedule, startAtMs, misfire } = job.config;
    const dueMs = job.scheduled
      ? nextDue(schedule, job.dueAt, nowMs)
      : firstDue(schedule, nowMs, startAtMs, misfire);
    job.scheduled = true;
    job.restored = false;
    const queued = this.#queueOrEnd(job, dueMs);
    this.#host.statusChanged(job);
    if (queued) this.#report.resumed(job, from);
    else this.#report.ended(job, 'schedule-over', undefined);
  }

  /**
   * The pool shuts down: the job is recorded as stopped with `reason`, in memory only (a
   * store keeps the job as it was, so the next start goes on).
   */
  shutdown(job: Job, reason: OrbitError, nowMs: number): void {
    job.jobError = reason;
    this.#halt(job, reason, nowMs);
  }

  /** Stops the job in memory and answers the run it cut short, if any. */
  #halt(job: Job, reason: OrbitError, nowMs: number): Run | undefined {
    const run = job.run;
    const wasStopped = job.status === JobStatus.Stopped;
    this.#closeRun(job, nowMs);
    this.#host.dequeue(job);
    this.#move(job, JobStatus.Stopped);
    if (run !== undefined) this.#host.abandon(run, reason);
    if (!wasStopped) this.#report.stopped(job, reason, run);
    return run;
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
    this.#endedUnrun(job);
  }

  /** A job ended without a run: its store learns it, listeners hear it. */
  #endedUnrun(job: Job): void {
    this.#host.statusChanged(job);
    this.#report.ended(job, 'schedule-over', undefined);
  }

  /** The next due instant after a run: every missed tick in turn while catching up. */
  #dueAfter(job: Job, scheduledAtMs: number, nowMs: number): number | undefined {
    const { schedule } = job.config;
    if (!Number.isNaN(job.catchUpUntilMs)) {
      const tickMs = nextCatchUpTick(schedule, scheduledAtMs, job.catchUpUntilMs);
      if (tickMs !== undefined) return tickMs;
      job.catchUpUntilMs = Number.NaN;
    }
    return nextDue(schedule, scheduledAtMs, nowMs);
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
