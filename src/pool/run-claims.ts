import { MAX_TIMER_WAIT_MS, type Dispatcher } from '../dispatch/dispatcher.js';
import type { Job } from '../job/job.js';
import type { RunDeadline } from '../job/run.js';
import type { Logger } from '../logging/logger.js';
import { isPromise } from '../store/maybe-promise.js';
import type {
  ClaimResult,
  MaybePromise,
  RunClaim,
  RunRecord,
  Store,
  StoredJob,
} from '../store/store.js';
import type { Clock, TimerHandle } from '../time/clock.js';
import { nextDue } from '../schedule/schedule.js';
import { ticksPassedOver } from './job-ledger.js';
import { InFlight } from './in-flight.js';
import { StandingBy } from './standing-by.js';

/** How long a job whose claim could not be decided waits before it tries again. */
export const CLAIM_RETRY_MS = 1000;

/** How long after a lease held elsewhere runs out a job claims again. */
const HELD_MARGIN_MS = 100;

/** What claiming needs from the pool. */
export interface ClaimContext {
  readonly store: Store;
  readonly poolId: string;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly dispatcher: Dispatcher<Job, RunDeadline>;
  /** Whether `job` may still run: it is in the pool, waiting, and the pool is alive. */
  readonly mayRun: (job: Job) => boolean;
  /** Every job of the pool. */
  readonly jobs: () => Iterable<Job>;
  /** The claim was won with `fence`: start the run (its worker slot is reserved). */
  readonly startRun: (job: Job, nowMs: number, fence: number) => void;
  /** A claim was won after the job stopped, left or the pool shut down: close that run. */
  readonly dropRun: (job: Job, fence: number, nowMs: number) => void;
  /** The claim took over `lost`, a run whose process is gone: fail it with `RUN_LOST`. */
  readonly recoverLost: (job: Job, lost: RunRecord, stored: StoredJob, nowMs: number) => void;
  /**
   * What the store said of the job, won or not. `true` when the pool took a status from
   * it (stopped or ended elsewhere): the job then waits for no claim.
   */
  readonly observed: (job: Job, stored: StoredJob) => boolean;
  /** Whether the job's run is live in another process, as a look standing by found. */
  readonly runsElsewhere: (job: Job, running: boolean) => void;
  /** The store no longer has the job: another process removed it. */
  readonly removedElsewhere: (job: Job) => void;
}

/**
 * Claim-then-run: a due job runs only after its store grants the tick. A synchronous
 * store answers in the same tick (no promise made); a remote one answers later, while the
 * job holds its worker slot. A lost claim adopts the store's position for the job; a
 * claim the store could not decide (another process runs the job, or the store failed)
 * is tried again after {@link CLAIM_RETRY_MS}.
 */
export class RunClaims {
  readonly #context: ClaimContext;
  readonly #retries = new Map<Job, TimerHandle>();
  readonly #standingBy: StandingBy;
  /** Claims sent and not yet answered ({@link RunClaims.settled}). */
  readonly #inFlight = new InFlight();

  constructor(context: ClaimContext) {
    this.#context = context;
    const { store, poolId } = context;
    this.#standingBy = new StandingBy({
      clock: context.clock,
      logger: context.logger,
      ready: (job) => this.#stoodBy(job),
      keeps: (job) => this.#mayStandBy(job),
      runsElsewhere: (job, running) => context.runsElsewhere(job, running),
      overdue: (dueBy) => store.overdue?.(poolId, dueBy),
    });
  }

  /** The dispatcher's `start`: `true` when the job holds its worker slot. */
  claim(job: Job, nowMs: number): boolean {
    const { store, poolId } = this.#context;
    let answer: MaybePromise<ClaimResult>;
    try {
      // Another process is the tick's first choice: the job leaves the dispatcher and
      // claims a tick only if it is still unclaimed a while after it fell due. A tick asked
      // for here (`runNow`) is claimed at once.
      if (!job.askedHere && !job.stoodBy && !job.takenOver) {
        const standbyMs = store.standby?.(poolId, job.id) ?? 0;
        if (standbyMs > 0) {
          this.#standingBy.add(job, standbyMs);
          return false;
        }
      }
      if (job.stoodBy) job.takenOver = true;
      job.askedHere = false;
      job.stoodBy = false;
      // Claimed now (`runNow`): a wait still under way must not end in a claim of its own.
      this.#standingBy.remove(job);
      answer = store.claim(poolId, claimOf(job, nowMs));
    } catch (error) {
      this.#failed(job, error);
      return false;
    }
    // Answered in the same tick, the job is still the waiting one the dispatcher handed over.
    if (!isPromise(answer)) return this.#answered(job, answer, nowMs);

    job.claiming = true;
    this.#inFlight.started();
    // Every run's claim comes through here: one promise follows it, not a chain.
    void answer.then(
      (result) => {
        job.claiming = false;
        try {
          if (!this.#answeredLater(job, result, this.#context.clock.now())) this.#release();
        } catch (error) {
          this.#context.logger.error('a claim failed', { error });
        }
        this.#inFlight.ended();
      },
      (error: unknown) => {
        job.claiming = false;
        try {
          this.#failed(job, error);
          this.#release();
        } catch (failure) {
          this.#context.logger.error('a claim failed', { error: failure });
        }
        this.#inFlight.ended();
      },
    );
    return true;
  }

  /**
   * Resolves once every claim sent has been answered, and a claim won after the pool shut
   * down has handed its run's end to the ledger: the pool's `kill` waits for it, so that
   * no lease is left in the store for a run that never started.
   */
  settled(): Promise<void> {
    return this.#inFlight.settled();
  }

  /** Cancels the retries waiting to claim again (the pool shuts down). */
  stop(): void {
    for (const timer of this.#retries.values()) this.#context.clock.clearTimeout(timer);
    this.#retries.clear();
    this.#standingBy.clear();
  }

  /**
   * The processes that share the store changed, so another may go first for a job now.
   * Every job decides again (see {@link placed}).
   */
  membersChanged(): void {
    for (const job of this.#context.jobs()) this.placed(job);
  }

  /**
   * Where a job waits for its ticks: one this process goes first for waits on the
   * dispatcher, one another process goes first for stands by. A job decides when it is
   * scheduled and whenever the processes change, so that the ticks of the others' jobs
   * never reach the dispatcher here: a process that joins a large pool pays nothing at
   * them.
   */
  placed(job: Job): void {
    const { store, poolId, dispatcher } = this.#context;
    // Claimed here whoever goes first (`runNow`, taken over), or not waiting on a tick.
    if (job.askedHere || job.takenOver || job.stoodBy || !this.#context.mayRun(job)) return;
    const standingBy = this.#standingBy.has(job);
    if (!standingBy && !dispatcher.isScheduled(job)) return;
    const standbyMs = store.standby?.(poolId, job.id) ?? 0;
    if (standbyMs > 0) {
      dispatcher.unschedule(job);
      this.#standingBy.add(job, standbyMs);
    } else if (standingBy) {
      this.#standingBy.remove(job);
      dispatcher.schedule(job);
    }
  }

  /** The job may have stopped or left, or the pool shut down, while the store answered. */
  #answeredLater(job: Job, result: ClaimResult, nowMs: number): boolean {
    if (this.#context.mayRun(job)) return this.#answered(job, result, nowMs);
    if (result.won) this.#context.dropRun(job, result.job.fence, nowMs);
    else if (result.lostRun !== undefined) this.#context.dropRun(job, result.lostRun.fence, nowMs);
    return false;
  }

  #answered(job: Job, result: ClaimResult, nowMs: number): boolean {
    if (!result.won) {
      job.takenOver = false;
      // The store holds the job at an earlier tick than this claim's: nobody ran it (the
      // position it started from is gone, or this process's view ran ahead). It goes back
      // to where the store has the job and claims that tick, so that none is passed over
      // unrecorded. Lost for another reason (the job is held), it keeps its position.
      const stored = result.job;
      if (stored?.status === 'waiting') {
        const storedDueMs = stored.dueAt;
        if (storedDueMs !== undefined && storedDueMs < job.dueAt) {
          takeCounts(job, stored);
          this.#moveTo(job, storedDueMs);
          return false;
        }
      }
      this.#lost(job, result, nowMs);
      return false;
    }

    job.atStoredPosition();
    takeCounts(job, result.job);
    this.#context.startRun(job, nowMs, result.job.fence);
    this.#context.observed(job, result.job);
    return true;
  }

  /** Another process moved the job on, runs it now, stopped it, or lost its run. */
  #lost(job: Job, result: ClaimResult & { won: false }, nowMs: number): void {
    const stored = result.job;
    if (stored === undefined) {
      this.#context.removedElsewhere(job);
      return;
    }

    takeCounts(job, stored);
    if (result.lostRun !== undefined) {
      this.#context.recoverLost(job, result.lostRun, stored, nowMs);
      return;
    }
    if (this.#context.observed(job, stored)) return;
    const movedOn = stored.status === 'waiting' && stored.dueAt !== undefined;
    if (movedOn && stored.dueAt > job.dueAt) {
      this.#moveTo(job, stored.dueAt);
    } else {
      this.#retryLater(job, retryInMs(job, result.heldUntil, nowMs));
    }
  }

  /**
   * Where the store holds the job now, waiting for `dueAtMs` after the run with `fence`:
   * another process ran its tick, or a run end of this process was refused because its
   * run was lost. A job waiting on its schedule here takes that position, even an earlier
   * one (the store's is the truth: a claim of a later tick would pass over the ticks in
   * between unrecorded). `false` when the job is not waiting on its schedule here, or
   * already knows a later run.
   */
  adopt(job: Job, dueAtMs: number, fence: number): boolean {
    if (fence < job.fence || job.claiming || !job.scheduled) return false;
    if (!this.#context.mayRun(job)) return false;
    // Another process ran the job: it is not taken over here (any more).
    if (fence > job.fence) job.takenOver = false;
    job.fence = fence;
    job.atStoredPosition();
    if (dueAtMs === job.dueAt) return true;
    if (this.#standingBy.has(job)) {
      // Moved on by its first choice: it goes on standing by, for the next tick.
      job.dueAt = dueAtMs;
      this.#standingBy.moved(job);
    } else {
      this.#moveTo(job, dueAtMs);
    }
    return true;
  }

  /**
   * Whether a job that stands by still may: it can run here, and is neither on the
   * dispatcher (resumed, or `runNow`) nor claiming.
   */
  #mayStandBy(job: Job): boolean {
    return this.#context.mayRun(job) && !this.#context.dispatcher.isScheduled(job) && !job.claiming;
  }

  /** A job's due tick went unclaimed for the whole wait: it claims the tick now. */
  #stoodBy(job: Job): void {
    job.stoodBy = true;
    this.#context.dispatcher.schedule(job);
  }

  #moveTo(job: Job, dueAtMs: number): void {
    const retry = this.#retries.get(job);
    if (retry !== undefined) {
      this.#context.clock.clearTimeout(retry);
      this.#retries.delete(job);
    }
    this.#standingBy.remove(job);
    job.stoodBy = false;
    // The job is where the store has it now.
    job.atStoredPosition();
    job.dueAt = dueAtMs;
    this.#context.dispatcher.schedule(job);
  }

  #failed(job: Job, error: unknown): void {
    this.#context.logger.error('store.claim failed; the job tries again', {
      jobId: job.id,
      error,
    });
    this.#retryLater(job);
  }

  #retryLater(job: Job, delayMs = CLAIM_RETRY_MS): void {
    if (this.#retries.has(job)) return;

    const retry = (): void => {
      this.#retries.delete(job);
      // `mayRun`: still in the pool, waiting, and the pool alive.
      if (this.#context.mayRun(job)) this.#context.dispatcher.schedule(job);
    };
    this.#retries.set(job, this.#context.clock.setTimeout(retry, delayMs));
  }

  #release(): void {
    this.#context.dispatcher.release();
  }
}

/**
 * How long a job whose claim lost to a run held elsewhere leaves it alone. That run is
 * found lost no sooner than its lease runs out (the job asks again just after), but it
 * usually ends long before: the job asks again at its next tick if that comes first (a
 * second at least), and its claim of the tick that was served then finds where the job
 * moved. A claim the store could not decide waits a second. Never more than a minute:
 * the lease's end is read on the database's clock, and a process whose clock lags far
 * behind it must not wait beyond what a timer can hold.
 */
function retryInMs(job: Job, heldUntil: number | undefined, nowMs: number): number {
  if (heldUntil === undefined) return CLAIM_RETRY_MS;
  const leaseEndsInMs = Math.max(0, heldUntil - nowMs) + HELD_MARGIN_MS;
  const nextMs = nextDue(job.config.schedule, job.dueAt, nowMs);
  const nextInMs = nextMs === undefined ? Infinity : Math.max(nextMs - nowMs, CLAIM_RETRY_MS);
  return Math.min(leaseEndsInMs, nextInMs, MAX_TIMER_WAIT_MS);
}

/** The counts a store holds are the truth: another process may have run the job. */
function takeCounts(job: Job, stored: StoredJob): void {
  job.success = stored.success;
  job.failure = stored.failure;
  job.retriesUsed = stored.retriesUsed;
}

/**
 * The claim of a job's due tick. When the job may not be where the store has it (see
 * `Job.claimFromMs`), the claim names the position it starts from and counts the ticks it
 * passes over: the store grants it only while that position holds, and keeps the count on
 * record.
 */
function claimOf(job: Job, nowMs: number): RunClaim {
  const claim = { jobId: job.id, scheduledAt: job.dueAt, startedAt: nowMs };
  const fromMs = job.claimFromMs;
  if (Number.isNaN(fromMs)) return claim;
  const passes = fromMs < job.dueAt && !job.claimPassesNone;
  const passedOver = passes ? 1 + ticksPassedOver(job, fromMs, job.dueAt) : 0;
  return { ...claim, from: fromMs, passedOver };
}
