import { OrbitError } from '../errors/orbit-error.js';
import type { Job } from '../job/job.js';
import type { JobStateMachine } from '../job/job-state-machine.js';
import { JobStatus } from '../job/job-status.js';
import type { Run } from '../job/run.js';
import type { Logger } from '../logging/logger.js';
import { whenSettled } from '../store/maybe-promise.js';
import type { JobChange, RunCommand, Store, StoredJob } from '../store/store.js';
import type { Clock } from '../time/clock.js';
import type { JobLedger } from './job-ledger.js';
import type { PauseControl } from './pause-control.js';

/** What following the store needs from the pool. */
export interface StoreChangesContext {
  readonly store: Store;
  readonly poolId: string;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly ledger: JobLedger;
  readonly states: JobStateMachine;
  readonly pauses: PauseControl;
  /** The pool's job with this id, while the pool is alive. */
  readonly job: (jobId: string) => Job | undefined;
  /** Whether the pool runs (schedules jobs) now. */
  readonly isRunning: () => boolean;
  /** Stops the job here as `stopJob` does: its run is aborted, `onStop` fires. */
  readonly stop: (job: Job) => void;
  /** Closes a run without an outcome; its signal aborts with `reason`. */
  readonly abandon: (run: Run, reason: OrbitError) => void;
  /** The store holds the job waiting for `dueAtMs`: `true` when it now waits for it here. */
  readonly adopt: (job: Job, dueAtMs: number, fence: number) => boolean;
  /** Another process may go first for a job now: jobs standing by decide again. */
  readonly membersChanged: () => void;
}

/**
 * Keeps a pool in step with what other pools on its store (other processes, for a store
 * they share) do to the same jobs, and lets `pauseJob` and `resumeJob` reach a run that
 * another process holds.
 *
 * - A change for the run in progress here is applied to it: a pause waits for the job's
 *   checkpoint, a resume lets it go on, a stop aborts its signal.
 * - Any other change is mirrored: the job shows `stopped`, `paused` or `ended` here too,
 *   and goes back on its schedule when resumed elsewhere. Mirrors fire no hooks; the
 *   process whose run the change reached fires them.
 * - A run here whose lease was lost (the process froze past the lease) is aborted and
 *   fails with `RUN_LOST`; the process that took it over records it.
 *
 * Changes applied here are not written back: the store holds them already.
 */
export class StoreChanges {
  readonly #context: StoreChangesContext;
  /** Jobs whose latest claim found a run in another process. */
  readonly #runningElsewhere = new WeakSet<Job>();
  /** Jobs paused here because their run elsewhere is paused. */
  readonly #pausedElsewhere = new WeakSet<Job>();
  #unwatch: (() => void) | undefined;

  constructor(context: StoreChangesContext) {
    this.#context = context;
  }

  start(): void {
    const { store, poolId } = this.#context;
    this.#unwatch ??= store.watch(poolId, {
      changed: (change) => this.#changed(change),
      runLost: (jobId, fence) => this.#runLost(jobId, fence),
      membersChanged: () => this.#context.membersChanged(),
    });
  }

  stop(): void {
    this.#unwatch?.();
    this.#unwatch = undefined;
  }

  /**
   * What a claim's answer said of the job. A run in another process is remembered (for
   * `pauseJob`); a job stopped or ended elsewhere is mirrored, and `true` says so.
   */
  observed(job: Job, stored: StoredJob): boolean {
    const elsewhere = stored.status === 'running' || stored.status === 'paused';
    if (elsewhere && job.run === undefined) this.#runningElsewhere.add(job);
    else this.#runningElsewhere.delete(job);

    if (job.status !== JobStatus.Waiting || job.run !== undefined) return false;
    if (stored.status === 'stopped')
      this.#quietly(() =>
        this.#context.states.stop(job, stoppedElsewhere(job), this.#context.clock.now()),
      );
    else if (stored.status === 'ended')
      this.#quietly(() => this.#context.states.restoreStatus(job, JobStatus.Ended));
    else return false;
    return true;
  }

  /** A look standing by found the job's run live in another process, or not. */
  runsElsewhere(job: Job, running: boolean): void {
    if (running && job.run === undefined) this.#runningElsewhere.add(job);
    else this.#runningElsewhere.delete(job);
  }

  /**
   * The store refused the end of a run here (it was lost, and another process took it
   * over): the job reads where the store holds it, so that it claims no later tick that
   * would pass over the ticks in between.
   */
  resync(jobId: string): void {
    const { store, poolId, logger } = this.#context;
    // Until the store answers (or for good, if another process runs the job now), its next
    // claim wins only the tick it is due at here, never a later one.
    const known = this.#context.job(jobId);
    if (known !== undefined && known.run === undefined) known.claimFromMs = known.dueAt;
    whenSettled(
      () => store.job(poolId, jobId),
      (stored) => {
        const job = this.#context.job(jobId);
        if (stored === undefined || job === undefined || job.run !== undefined) return;
        if (this.observed(job, stored)) return;
        if (stored.status !== 'waiting' || stored.dueAt === undefined) return;
        this.#quietly(() => this.#context.adopt(job, stored.dueAt as number, stored.fence));
      },
      (error: unknown) => logger.error('store.job failed', { jobId, error }),
    );
  }

  /** `pauseJob` of a job whose run is in another process: asked through the store. */
  pauseElsewhere(job: Job, timeoutMs: number): boolean {
    if (job.run !== undefined || job.status !== JobStatus.Waiting) return false;
    if (!this.#runningElsewhere.has(job)) return false;

    this.#command(job, { jobId: job.id, kind: 'pause', timeoutMs });
    return true;
  }

  /** `resumeJob` of a job whose run is paused in another process: asked through the store. */
  resumeElsewhere(job: Job): boolean {
    if (job.run !== undefined || !this.#pausedElsewhere.has(job)) return false;

    this.#command(job, { jobId: job.id, kind: 'resume', timeoutMs: 0 });
    return true;
  }

  #command(job: Job, command: RunCommand): void {
    const { store, poolId, logger } = this.#context;
    whenSettled(
      () => store.command(poolId, command),
      (applied) => {
        if (applied) return;
        const state = command.kind === 'pause' ? 'running' : 'paused';
        logger.warn(`${command.kind}Job found no ${state} run of the job`, { jobId: job.id });
      },
      (error: unknown) => logger.error(`store.command failed`, { jobId: job.id, error }),
    );
  }

  #changed(change: JobChange): void {
    const job = this.#context.job(change.jobId);
    if (job === undefined) return;

    const run = job.run;
    if (run !== undefined) {
      if (run.fence === change.fence) this.#quietly(() => this.#toRun(job, run, change));
      return;
    }
    // A live run here that has ended since: the change is stale.
    const live = change.status === 'running' || change.status === 'paused';
    if (live && change.runsHere) return;
    this.#quietly(() => this.#mirror(job, change));
  }

  #toRun(job: Job, run: Run, change: JobChange): void {
    const { pauses } = this.#context;
    if (change.status === 'paused' && job.status === JobStatus.Running && !run.aborted) {
      pauses.pause(job, change.pauseTimeoutMs ?? 1_000);
    } else if (change.status === 'running' && job.status === JobStatus.Paused) {
      pauses.resume(job);
    } else if (change.status === 'stopped' || change.status === 'ended') {
      this.#context.stop(job);
    }
  }

  #mirror(job: Job, change: JobChange): void {
    const { states, clock } = this.#context;
    const nowMs = clock.now();
    switch (change.status) {
      case 'stopped':
        if (job.status !== JobStatus.Stopped) states.stop(job, stoppedElsewhere(job), nowMs);
        break;
      case 'ended':
        states.restoreStatus(job, JobStatus.Ended);
        break;
      case 'paused':
        if (job.status !== JobStatus.Waiting) return;
        this.#pausedElsewhere.add(job);
        states.hold(job);
        break;
      default:
        if (job.status !== JobStatus.Waiting) this.#resumed(job, nowMs);
        else if (change.dueAt !== undefined) this.#adopt(job, change.dueAt, change.fence);
    }
  }

  /** The job waits for `dueAt` in the store: it does here too, unless it knows better. */
  #adopt(job: Job, dueAt: number, fence: number): boolean {
    if (!this.#context.adopt(job, dueAt, fence)) return false;
    this.#runningElsewhere.delete(job);
    return true;
  }

  /** Resumed elsewhere, or its paused run there went on: back on its schedule here. */
  #resumed(job: Job, nowMs: number): void {
    const held = job.status === JobStatus.Paused || job.status === JobStatus.Stopped;
    if (!held) return;
    this.#pausedElsewhere.delete(job);
    this.#context.states.resumeStopped(job, this.#context.isRunning() ? nowMs : undefined);
  }

  #runLost(jobId: string, fence: number): void {
    const job = this.#context.job(jobId);
    const run = job?.run;
    if (job === undefined || run === undefined || run.fence !== fence) return;

    const reason = new OrbitError('RUN_LOST', `run ${fence} of job '${jobId}' lost its lease`, {
      jobId,
    });
    this.#context.abandon(run, reason);
    this.#context.states.finish(job, run, reason, this.#context.clock.now());
  }

  #quietly(apply: () => void): void {
    this.#context.ledger.fromStore(apply);
  }
}

function stoppedElsewhere(job: Job): OrbitError {
  return new OrbitError('JOB_STOPPED', `job '${job.id}' was stopped`, { jobId: job.id });
}
