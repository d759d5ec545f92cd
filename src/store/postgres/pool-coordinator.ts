import type pg from 'pg';
import type { OrbitError } from '../../errors/orbit-error.js';
import type { Logger } from '../../logging/logger.js';
import type { Clock } from '../../time/clock.js';
import type { ClaimedRun, DueJob } from './claim.js';
import { ClaimLoop } from './claim-loop.js';
import { claimRound, type ClaimRound } from './claim-round.js';
import { completeRuns, type RunCompletion, type RunOutcome } from './completion.js';
import { CompletionQueue } from './completion-queue.js';
import type { ControlMessage } from './control.js';
import { renewLeases } from './heartbeat.js';
import type { StoredJobDefinition } from './job-definition.js';
import { LeaseKeeper } from './lease-keeper.js';
import type { ResolvedPostgresOptions } from './postgres-options.js';
import { reapExpiredLeases } from './reaper.js';
import { RepeatingTask } from './repeating-task.js';
import { storeUnavailable } from './store-unavailable.js';
import { planAfterRun, planClaim, resumeAfterServed, type ClaimPlan } from './tick-plan.js';

/** What a coordinator asks of the pool it serves. */
export interface CoordinatorHandlers {
  /** Worker slots free in this process's pool. */
  freeSlots(): number;
  /** The definition of a job this process holds; `undefined` when it holds none. */
  definition(jobId: string): StoredJobDefinition | undefined;
  /** This process won a run: start it. */
  claimed(run: ClaimedRun): void;
  /** A run's lease is gone: abort the run, it fails with `RUN_LOST`. */
  leaseLost(run: ClaimedRun): void;
  /** A control command arrived (for a run here, or a job that changed elsewhere). */
  control(message: ControlMessage): void;
  /** A store operation failed; the coordinator retries on its own. */
  storeFailed(error: OrbitError): void;
}

/** How a run ended, as the pool reports it. */
export interface RunEnd {
  readonly outcome: RunOutcome;
  readonly errorCode?: string | undefined;
  readonly errorMessage?: string | undefined;
  readonly data?: Record<string, unknown> | undefined;
}

/** What a coordinator shares with its store. */
export interface CoordinatorContext {
  readonly db: pg.Pool;
  readonly options: ResolvedPostgresOptions;
  readonly owner: string;
  readonly clock: Clock;
  readonly logger: Logger;
}

/**
 * Runs one pool's side of the cluster in this process: the claim loop, the heartbeats of
 * its leases, the reaper, and the fenced, batched completions. Everything that decides who
 * runs what is a statement judged by the database's clock; this process only measures
 * durations.
 */
export class PoolCoordinator {
  readonly poolId: string;
  readonly #context: CoordinatorContext;
  readonly #handlers: CoordinatorHandlers;
  readonly #leases: LeaseKeeper;
  readonly #claims: ClaimLoop;
  readonly #completions: CompletionQueue;
  readonly #heartbeat: RepeatingTask;
  readonly #reaper: RepeatingTask;
  /** Database clock minus this process's clock, from the latest poll. */
  #dbOffsetMs = 0;

  constructor(poolId: string, context: CoordinatorContext, handlers: CoordinatorHandlers) {
    this.poolId = poolId;
    this.#context = context;
    this.#handlers = handlers;
    const { clock, options, owner } = context;
    const failed = (action: string) => (error: unknown) =>
      handlers.storeFailed(storeUnavailable(action, error));

    this.#leases = new LeaseKeeper({ clock, poolId, owner }, options, {
      lost: (run) => handlers.leaseLost(run),
      control: (message) => handlers.control(message),
    });
    this.#claims = new ClaimLoop({
      clock,
      pollIntervalMs: options.pollIntervalMs,
      freeSlots: () => handlers.freeSlots(),
      claim: (limit) => this.#claim(limit),
      claimed: (runs, sentAtMs) => this.#started(runs, sentAtMs),
      failed: (error) => handlers.storeFailed(error),
    });
    this.#completions = new CompletionQueue(
      clock,
      (batch) => completeRuns(context.db, options.tables, poolId, owner, batch),
      (error) => handlers.storeFailed(error),
    );
    this.#heartbeat = new RepeatingTask(
      clock,
      options.heartbeatIntervalMs,
      () => this.#renew(),
      failed('renewing leases'),
    );
    this.#reaper = new RepeatingTask(
      clock,
      options.reapIntervalMs,
      () => this.#reap(),
      failed('reaping expired leases'),
    );
  }

  /** The database's clock, as estimated from this process's clock. */
  get dbNowMs(): number {
    return this.#context.clock.now() + this.#dbOffsetMs;
  }

  /** Starts claiming, renewing and reaping. */
  start(): void {
    this.#claims.start();
    this.#heartbeat.start();
    this.#reaper.start(0);
  }

  /** Something changed here or elsewhere: ask the database what is due. */
  wake(): void {
    this.#claims.wake();
  }

  /** Whether this process holds the lease of `jobId` at `fence`. */
  holds(jobId: string, fence: number): boolean {
    return this.#leases.get(jobId, fence) !== undefined;
  }

  /** A control message for this pool arrived on the channel: pass it to the pool. */
  observe(message: ControlMessage): void {
    const held = this.#leases.observe(message) !== undefined;
    if (message.command === 'resume' && !held) this.wake();
    this.#handlers.control(message);
  }

  /** Notifications may have been missed: look at the database and the leases again. */
  resync(): void {
    this.wake();
    this.#heartbeat.runNow();
  }

  /**
   * Records the end of a run, fenced; resolves `false` when its lease had been lost. A
   * run that ran moves the job on by its schedule; ticks that fell due during it are
   * passed over (a job never overlaps itself) and counted.
   */
  async complete(run: ClaimedRun, end: RunEnd): Promise<boolean> {
    const completion = this.#completion(run, end);
    const accepted = await this.#completions.add(completion);
    this.#leases.release(run.jobId, run.fence);
    this.wake();
    return accepted;
  }

  /** Stops every loop and waits for queued completions to be written. */
  async stop(): Promise<void> {
    await Promise.all([this.#claims.stop(), this.#reaper.stop()]);
    await this.#completions.drained();
    await this.#heartbeat.stop();
  }

  #completion(run: ClaimedRun, end: RunEnd): RunCompletion {
    const base = { jobId: run.jobId, fence: run.fence, ...end };
    const definition = this.#handlers.definition(run.jobId);
    const ran = end.outcome === 'succeeded' || end.outcome === 'failed';
    if (!ran || definition === undefined) return { ...base, nextDueMs: undefined, skipped: 0 };

    const { schedule, misfire, endAtMs } = definition;
    return { ...base, ...planAfterRun(schedule, run.tickMs, this.dbNowMs, misfire, endAtMs) };
  }

  #plan(job: DueJob, dbNowMs: number): ClaimPlan | undefined {
    const definition = this.#handlers.definition(job.jobId);
    if (definition === undefined) return undefined;

    const { misfireGraceMs, maxCatchUp } = this.#context.options;
    const { schedule, misfire, endAtMs } = definition;
    const dueMs = resumeAfterServed(schedule, job.dueMs, job.lastRunTickMs);
    if (dueMs === undefined || dueMs > dbNowMs) {
      return { kind: 'skip', skipped: 0, nextDueMs: dueMs };
    }
    const limits = { graceMs: misfireGraceMs, maxCatchUp, endAtMs };
    return planClaim(schedule, dueMs, dbNowMs, misfire, limits);
  }

  async #claim(limit: number): Promise<ClaimRound> {
    const { db, options, owner, clock } = this.#context;
    const round = await claimRound(db, {
      tables: options.tables,
      poolId: this.poolId,
      owner,
      leaseTtlMs: options.leaseTtlMs,
      limit,
      plan: (job, dbNowMs) => this.#plan(job, dbNowMs),
    });
    this.#dbOffsetMs = round.dbNowMs - clock.now();
    return round;
  }

  #started(runs: readonly ClaimedRun[], sentAtMs: number): void {
    for (const run of runs) this.#leases.hold(run, sentAtMs);
    for (const run of runs) this.#handlers.claimed(run);
  }

  async #renew(): Promise<void> {
    const leases = this.#leases.due();
    if (leases.length === 0) return;

    const { db, options, owner, clock } = this.#context;
    const sentAtMs = clock.monotonic();
    const runs = leases.map((lease) => lease.run);
    const renewed = await renewLeases(
      db,
      options.tables,
      this.poolId,
      owner,
      options.leaseTtlMs,
      runs,
    );
    this.#leases.renewed(leases, renewed, sentAtMs);
  }

  async #reap(): Promise<void> {
    const { db, options, logger } = this.#context;
    const lost = await reapExpiredLeases(db, options.tables, this.poolId);
    if (lost.length === 0) return;

    logger.warn('runs lost with their process', {
      pool: this.poolId,
      jobIds: lost.map((l) => l.jobId),
    });
    this.#leases.reaped(lost);
    this.wake();
  }
}
