import type { Job } from '../job/job.js';
import { MAX_TIMER_WAIT_MS } from '../dispatch/dispatcher.js';
import type { Logger } from '../logging/logger.js';
import { nextDue } from '../schedule/schedule.js';
import type { OverdueJobs } from '../store/store.js';
import type { Clock, TimerHandle } from '../time/clock.js';

/**
 * The least time between two looks over the jobs standing by: when many of their waits
 * end close together, one look serves them all.
 */
export const STANDBY_LOOK_GAP_MS = 250;

/**
 * A question about overdue ticks reads every job of the pool, so its cost grows with the
 * pool. The gap between two looks is at least this many times the time the last answer
 * took: a process spends at most about a twentieth of its time on the store asking.
 */
export const STANDBY_LOOK_COST_FACTOR = 20;

/** How long after a failed question to the store the jobs standing by look again. */
export const STANDBY_RETRY_MS = 1_000;

/** What standing by needs from the pool. */
export interface StandingByContext {
  readonly clock: Clock;
  readonly logger: Logger;
  /** The job's tick went unclaimed: it claims it now. */
  readonly ready: (job: Job) => void;
  /**
   * Whether the job's run is live in another process (a pause from here can reach it),
   * as the latest look found.
   */
  readonly runsElsewhere: (job: Job, running: boolean) => void;
  /** Whether the job still stands by here (one that does not is forgotten at a look). */
  readonly keeps: (job: Job) => boolean;
  /**
   * The store's answer to `Store.overdue` for the pool, or `undefined` when the store
   * cannot tell: every tick is then claimed once its wait is over.
   */
  readonly overdue: (dueBy: number) => Promise<OverdueJobs> | undefined;
}

/**
 * Jobs whose ticks another process goes first for (see `Store.standby`). Such a job is off
 * the dispatcher and costs nothing per tick here while its first choice runs it.
 *
 * One timer looks over them all when the earliest wait ends (a tick of one of them has
 * been due for its wait), and asks the store in one question which of the pool's ticks
 * are still unclaimed by then, and which runs lost their lease. Those jobs are handed back
 * to claim at the position the store holds; every other job whose wait ended was served
 * by its first choice and waits for its next tick on its own schedule, with no word from
 * the process that ran it. The store also says when the next lease runs out, so a run
 * lost with its process is found then.
 */
export class StandingBy {
  readonly #context: StandingByContext;
  /** Each job standing by, with how long past its due tick it waits. */
  readonly #waits = new Map<Job, number>();
  readonly #byId = new Map<string, Job>();
  #timer: TimerHandle | undefined;
  #timerAt = Number.POSITIVE_INFINITY;
  #lookedAt = Number.NEGATIVE_INFINITY;
  /** The least time between two looks; it grows with the time the last answer took. */
  #lookGapMs = STANDBY_LOOK_GAP_MS;
  /** A question to the store is under way; its answer arms the next look. */
  #asking = false;

  constructor(context: StandingByContext) {
    this.#context = context;
  }

  has(job: Job): boolean {
    return job.standingBy;
  }

  /** The job stands by for its due tick, and for the ticks after, until it leaves. */
  add(job: Job, waitMs: number): void {
    job.standingBy = true;
    this.#waits.set(job, waitMs);
    this.#byId.set(job.id, job);
    this.moved(job);
  }

  /** The job standing by waits for another tick now (its `dueAt` changed). */
  moved(job: Job): void {
    const waitMs = this.#waits.get(job);
    if (waitMs !== undefined) this.#armBy(job.dueAt + waitMs);
  }

  /** The job claims its ticks itself again, or left. */
  remove(job: Job): void {
    // Every claim comes through here: one not standing by costs a field read.
    if (!job.standingBy) return;
    job.standingBy = false;
    this.#waits.delete(job);
    if (this.#byId.get(job.id) === job) this.#byId.delete(job.id);
  }

  /** Forgets every job (the pool shuts down). */
  clear(): void {
    for (const job of this.#waits.keys()) job.standingBy = false;
    this.#waits.clear();
    this.#byId.clear();
    this.#disarm();
  }

  /** Makes sure a look happens by `atMs`, or as soon after the last look as allowed. */
  #armBy(atMs: number): void {
    // A look that comes sooner is armed already (the clock is read only to arm another).
    if (this.#asking || atMs >= this.#timerAt) return;
    const nowMs = this.#context.clock.now();
    // A wait of weeks (a monthly job) is looked at again each minute, as the dispatcher does.
    const lookAtMs = Math.min(
      Math.max(atMs, this.#lookedAt + this.#lookGapMs),
      nowMs + MAX_TIMER_WAIT_MS,
    );
    if (lookAtMs >= this.#timerAt) return;
    this.#disarm();
    this.#timerAt = lookAtMs;
    this.#timer = this.#context.clock.setTimeout(this.#look, Math.max(0, lookAtMs - nowMs));
  }

  #disarm(): void {
    if (this.#timer !== undefined) this.#context.clock.clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#timerAt = Number.POSITIVE_INFINITY;
  }

  readonly #look = (): void => {
    this.#timer = undefined;
    this.#timerAt = Number.POSITIVE_INFINITY;
    const nowMs = this.#context.clock.now();
    this.#lookedAt = nowMs;
    let graceMs = Number.POSITIVE_INFINITY;
    for (const [job, waitMs] of this.#waits) {
      if (this.#context.keeps(job)) graceMs = Math.min(graceMs, waitMs);
      else this.remove(job);
    }
    if (this.#waits.size === 0) return;

    let asked: Promise<OverdueJobs> | undefined;
    try {
      asked = this.#context.overdue(nowMs - graceMs);
    } catch (error) {
      this.#failed(error);
      return;
    }
    if (asked === undefined) {
      this.#waitsEnded(nowMs, (job) => this.#claimNow(job));
      return;
    }
    this.#asking = true;
    const askedAtMs = this.#context.clock.monotonic();
    asked
      .then(
        (found) => {
          this.#asking = false;
          const tookMs = this.#context.clock.monotonic() - askedAtMs;
          this.#lookGapMs = Math.max(STANDBY_LOOK_GAP_MS, STANDBY_LOOK_COST_FACTOR * tookMs);
          this.#found(found);
        },
        (error: unknown) => {
          this.#asking = false;
          this.#failed(error);
        },
      )
      .catch((error: unknown) => this.#context.logger.error('standing by failed', { error }));
  };

  /**
   * The store's answer: the jobs it names claim the tick it holds them at; the others
   * whose wait ended were served by their first choice and wait for their next tick. A
   * run the store found live elsewhere is noted, so that `pauseJob` here can reach it.
   */
  #found(found: OverdueJobs): void {
    const left: Job[] = [];
    found.jobIds.forEach((jobId, i) => {
      const job = this.#byId.get(jobId);
      if (job === undefined || !this.#context.keeps(job)) return;
      this.remove(job);
      job.dueAt = found.dueAts[i] as number;
      job.atStoredPosition();
      left.push(job);
    });
    const running = new Set<Job>();
    for (const jobId of found.runningIds) {
      const job = this.#byId.get(jobId);
      if (job === undefined) continue;
      running.add(job);
      this.#context.runsElsewhere(job, true);
    }
    const nowMs = this.#context.clock.now();
    const nextMs = this.#waitsEnded(nowMs, (job, waitMs) => {
      if (!running.has(job)) this.#context.runsElsewhere(job, false);
      return this.#servedElsewhere(job, waitMs, nowMs);
    });
    // A run held elsewhere whose lease runs out is looked at then: it may be lost.
    const { leaseEndsInMs } = found;
    if (leaseEndsInMs !== undefined) this.#armBy(Math.min(nextMs, nowMs + leaseEndsInMs));
    for (const job of left) this.#context.ready(job);
  }

  /**
   * Calls `ended` for each job whose wait is over (it answers whether the job still stands
   * by), arms the look for the earliest wait left, and answers when that wait ends.
   */
  #waitsEnded(nowMs: number, ended: (job: Job, waitMs: number) => boolean): number {
    let nextMs = Number.POSITIVE_INFINITY;
    const over: [Job, number][] = [];
    for (const [job, waitMs] of this.#waits) {
      if (!this.#context.keeps(job)) {
        this.remove(job);
        continue;
      }
      const untilMs = job.dueAt + waitMs;
      if (untilMs <= nowMs) over.push([job, waitMs]);
      else if (untilMs < nextMs) nextMs = untilMs;
    }
    for (const [job, waitMs] of over) {
      if (ended(job, waitMs)) nextMs = Math.min(nextMs, job.dueAt + waitMs);
    }
    if (nextMs !== Number.POSITIVE_INFINITY) this.#armBy(nextMs);
    return nextMs;
  }

  /** With no store to ask, a tick whose wait is over is claimed here. */
  #claimNow(job: Job): boolean {
    this.remove(job);
    this.#context.ready(job);
    return false;
  }

  /**
   * The first choice claimed the job's tick: it waits for the tick after, where its
   * schedule puts it once that run is over. A job with no tick left leaves; the store
   * tells its end.
   */
  #servedElsewhere(job: Job, waitMs: number, nowMs: number): boolean {
    const { schedule, endAtMs } = job.config;
    const dueMs = nextDue(schedule, job.dueAt, nowMs - waitMs);
    if (dueMs === undefined || (endAtMs !== undefined && dueMs > endAtMs)) {
      this.remove(job);
      return false;
    }
    job.dueAt = dueMs;
    return true;
  }

  #failed(error: unknown): void {
    this.#context.logger.error('store.overdue failed; the jobs standing by ask again', {
      error,
    });
    this.#armBy(this.#context.clock.now() + STANDBY_RETRY_MS);
  }
}
