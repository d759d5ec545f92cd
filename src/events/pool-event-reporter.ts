import type { OrbitError } from '../errors/orbit-error.js';
import type { Job } from '../job/job.js';
import type { HookName } from '../job/job-config.js';
import type { Run } from '../job/run.js';
import { dueInstantsIn, type DueSpan } from '../schedule/schedule.js';
import type { EventEmitter } from './event-emitter.js';
import type { EndReason, MissReason, PoolEvents, RunEventBase } from './pool-events.js';

/**
 * Turns the pool's changes into {@link PoolEvents}. Each method is called from the one
 * place where its change happens, and builds its payload only when the event has
 * listeners: with none, a report costs a map lookup.
 */
export class PoolEventReporter {
  readonly #events: EventEmitter<PoolEvents>;
  readonly #poolId: string;

  constructor(events: EventEmitter<PoolEvents>, poolId: string) {
    this.#events = events;
    this.#poolId = poolId;
  }

  /**
   * A run began at `nowMs`; instants that fell due since the one it serves were missed.
   * `previousEndMs` is when the job's previous run ended (NaN when unknown).
   */
  runStarted(run: Run, nowMs: number, previousEndMs: number): void {
    const events = this.#events;
    const { scheduledAtMs } = run;
    if (nowMs > scheduledAtMs && events.has('run:missed')) {
      const { schedule } = run.job.config;
      const afterMs = missedAfter(run, previousEndMs);
      const missed = dueInstantsIn(schedule, scheduledAtMs, afterMs, nowMs);
      if (missed !== undefined) this.#missed(this.#runBase(run), 'late', missed);
    }
    if (!events.has('run:started')) return;

    // Spelt out rather than spread: object spread costs microseconds on this hot path.
    events.emit('run:started', {
      poolId: this.#poolId,
      jobId: run.jobId,
      scheduledAt: new Date(scheduledAtMs),
      fence: run.fence,
      startedAt: new Date(nowMs),
      latenessMs: nowMs - scheduledAtMs,
    });
  }

  /**
   * The pool began scheduling a job whose due instants from `firstTickMs` (itself one of
   * them) up to `dueMs` lay behind it and will not run: a past `startAt`, or downtime.
   */
  misfired(job: Job, firstTickMs: number, dueMs: number): void {
    if (!this.#events.has('run:missed')) return;

    const { schedule } = job.config;
    const missed = dueInstantsIn(schedule, firstTickMs, firstTickMs - 1, dueMs - 1);
    if (missed === undefined) return;
    const base = { poolId: this.#poolId, jobId: job.id, scheduledAt: new Date(dueMs) };
    this.#missed({ ...base, fence: job.fence + 1 }, 'misfire', missed);
  }

  /** A run ended at `nowMs`, with `error` when it failed. */
  runFinished(run: Run, error: OrbitError | undefined, willRetry: boolean, nowMs: number): void {
    const name = error === undefined ? 'run:succeeded' : 'run:failed';
    if (!this.#events.has(name)) return;

    const { lastStartMs } = run.job;
    const startedMs = Number.isNaN(lastStartMs) ? nowMs : lastStartMs;
    const poolId = this.#poolId;
    const { jobId, fence } = run;
    const scheduledAt = new Date(run.scheduledAtMs);
    const startedAt = new Date(startedMs);
    const endedAt = new Date(nowMs);
    const durationMs = nowMs - startedMs;
    if (error === undefined) {
      const event = { poolId, jobId, scheduledAt, fence, startedAt, endedAt, durationMs };
      this.#events.emit('run:succeeded', event);
    } else {
      this.#events.emit('run:failed', {
        poolId,
        jobId,
        scheduledAt,
        fence,
        startedAt,
        endedAt,
        durationMs,
        error,
        willRetry,
      });
    }
  }

  /** Instants that fell due between the run's start and its end were skipped. */
  ticksSkipped(run: Run, nowMs: number, nextRunMs: number | undefined): void {
    if (!this.#events.has('run:skipped')) return;

    const { job, scheduledAtMs } = run;
    const startedMs = Number.isNaN(job.lastStartMs)
      ? scheduledAtMs
      : Math.max(job.lastStartMs, scheduledAtMs);
    const skipped = dueInstantsIn(job.config.schedule, scheduledAtMs, startedMs, nowMs);
    if (skipped === undefined) return;

    this.#events.emit('run:skipped', {
      ...this.#runBase(run),
      ...spanDates(skipped),
      nextRunAt: nextRunMs === undefined ? undefined : new Date(nextRunMs),
    });
  }

  /** A failed run is followed by a retry at the job's next due instant. */
  retried(run: Run, error: OrbitError): void {
    if (!this.#events.has('run:retried')) return;

    const { job } = run;
    const { count } = job.config.retry;
    this.#events.emit('run:retried', {
      ...this.#runBase(run),
      error,
      attempt: job.retriesUsed,
      retriesLeft: count === 0 ? Number.POSITIVE_INFINITY : count - job.retriesUsed,
      nextRunAt: new Date(job.dueAt),
    });
  }

  hookFailed(run: Run, hook: HookName, error: OrbitError, ignored: boolean): void {
    if (!this.#events.has('hook:failed')) return;
    this.#events.emit('hook:failed', { ...this.#runBase(run), hook, error, ignored });
  }

  paused(run: Run, withdrawAfterMs: number): void {
    if (!this.#events.has('job:paused')) return;
    this.#events.emit('job:paused', { ...this.#runBase(run), withdrawAfterMs });
  }

  pauseWithdrawn(run: Run): void {
    if (!this.#events.has('job:pause-withdrawn')) return;
    this.#events.emit('job:pause-withdrawn', this.#runBase(run));
  }

  resumed(job: Job, from: 'paused' | 'stopped'): void {
    if (!this.#events.has('job:resumed')) return;
    this.#events.emit('job:resumed', { poolId: this.#poolId, jobId: job.id, from });
  }

  /** A job was stopped; `run` is the run that was aborted, if one was in progress. */
  stopped(job: Job, reason: OrbitError, run: Run | undefined): void {
    if (!this.#events.has('job:stopped')) return;

    const abortedRun =
      run === undefined
        ? undefined
        : { scheduledAt: new Date(run.scheduledAtMs), fence: run.fence };
    this.#events.emit('job:stopped', { poolId: this.#poolId, jobId: job.id, reason, abortedRun });
  }

  /** A job ended; `error` is its last run's error when that run failed. */
  ended(job: Job, reason: EndReason, error: OrbitError | undefined): void {
    if (!this.#events.has('job:ended')) return;

    const { id: jobId, success, failure } = job;
    this.#events.emit('job:ended', {
      poolId: this.#poolId,
      jobId,
      reason,
      error,
      success,
      failure,
    });
  }

  added(job: Job): void {
    if (!this.#events.has('job:added')) return;
    this.#events.emit('job:added', { poolId: this.#poolId, jobId: job.id, name: job.config.name });
  }

  removed(job: Job): void {
    if (!this.#events.has('job:removed')) return;
    this.#events.emit('job:removed', { poolId: this.#poolId, jobId: job.id });
  }

  poolStarted(): void {
    if (this.#events.has('pool:started')) this.#events.emit('pool:started', this.#poolBase());
  }

  poolKilled(): void {
    if (this.#events.has('pool:killed')) this.#events.emit('pool:killed', this.#poolBase());
  }

  #missed(base: RunEventBase, reason: MissReason, span: DueSpan): void {
    this.#events.emit('run:missed', { ...base, ...spanDates(span), reason });
  }

  #runBase(run: Run): RunEventBase {
    return {
      poolId: this.#poolId,
      jobId: run.jobId,
      // A Date of its own: the run's `scheduledAt` is the job's, and a listener may mutate.
      scheduledAt: new Date(run.scheduledAtMs),
      fence: run.fence,
    };
  }

  #poolBase(): { poolId: string } {
    return { poolId: this.#poolId };
  }
}

/**
 * The instant after which a late run's due instants count as missed: the one it serves.
 * While catching up after downtime (`misfire: 'all'`), every instant up to the catch-up
 * limit runs in turn, and the later ones up to the previous run's end were reported when
 * that run started or ended; only the ones after all three are missed now.
 */
function missedAfter(run: Run, previousEndMs: number): number {
  const { scheduledAtMs, job } = run;
  if (Number.isNaN(job.catchUpUntilMs)) return scheduledAtMs;
  const reportedUntilMs = Number.isNaN(previousEndMs) ? scheduledAtMs : previousEndMs;
  return Math.max(scheduledAtMs, job.catchUpUntilMs, reportedUntilMs);
}

function spanDates(span: DueSpan): { count: number; firstAt: Date; lastAt: Date } {
  return { count: span.count, firstAt: new Date(span.firstMs), lastAt: new Date(span.lastMs) };
}
