import type { PoolEventReporter } from '../events/pool-event-reporter.js';
import type { Dispatcher } from '../dispatch/dispatcher.js';
import { OrbitError } from '../errors/orbit-error.js';
import { runHook, type HookFailed } from '../job/hook-runner.js';
import type { Job } from '../job/job.js';
import type { JobStateMachine } from '../job/job-state-machine.js';
import { JobStatus } from '../job/job-status.js';
import type { Run, RunDeadline } from '../job/run.js';
import type { Clock } from '../time/clock.js';

/** What pausing needs from the pool. */
export interface PauseContext {
  readonly clock: Clock;
  readonly dispatcher: Dispatcher<Job, RunDeadline>;
  readonly states: JobStateMachine;
  readonly hookRecorded: HookFailed;
  readonly report: PoolEventReporter;
}

/**
 * Pause and resume of running jobs, like a media player. A pause is asked for at once
 * (status `paused`, `onPause`); the job takes it at its next `checkpoint()`, or the
 * pause is withdrawn after a timeout. While paused, the run's timeout does not run.
 */
export class PauseControl {
  readonly #context: PauseContext;

  constructor(context: PauseContext) {
    this.#context = context;
  }

  pause(job: Job, withdrawAfterMs: number): void {
    if (job.status === JobStatus.Paused) {
      throw new OrbitError('JOB_ALREADY_PAUSED', `job '${job.id}' is paused already`, {
        jobId: job.id,
      });
    }
    const run = job.run;
    // An aborted run (a worker thread in its grace after a timeout) can only stop.
    if (job.status !== JobStatus.Running || run === undefined || run.isOver() || run.aborted) {
      throw new OrbitError('JOB_NOT_RUNNING', `job '${job.id}' is ${job.status}, not running`, {
        jobId: job.id,
      });
    }

    run.pauseTimeoutMs = withdrawAfterMs;
    this.#context.states.pause(job);
    this.#holdDeadline(run);
    run.withdrawTimer = this.#context.clock.setTimeout(() => this.#withdraw(run), withdrawAfterMs);
    this.#context.report.paused(run, withdrawAfterMs);
    void runHook(run, 'onPause', undefined, this.#context.hookRecorded);
  }

  /** The job reached a checkpoint and took the pause: it stays paused until resumed. */
  taken(run: Run): void {
    this.#clearWithdrawTimer(run);
  }

  resume(job: Job): void {
    const run = job.run;
    if (run === undefined) return;

    this.#clearWithdrawTimer(run);
    this.#context.states.unpause(job);
    this.#releaseDeadline(run);
    this.#context.report.resumed(job, 'paused');
    void runHook(run, 'onResume', undefined, this.#context.hookRecorded);
  }

  /** The job did not reach a checkpoint in time: back to running, without `onResume`. */
  #withdraw(run: Run): void {
    run.withdrawTimer = undefined;
    const job = run.job;
    if (run.phase === 'done' || job.run !== run || !run.pauseRequested) return;

    this.#context.states.unpause(job);
    this.#releaseDeadline(run);
    this.#context.report.pauseWithdrawn(run);
  }

  #holdDeadline(run: Run): void {
    const { clock, dispatcher } = this.#context;
    const { deadline } = run;
    if (deadline === undefined || deadline.heldTimeoutMs !== undefined) return;
    deadline.heldTimeoutMs = Math.max(deadline.dueAt - clock.now(), 0);
    dispatcher.unwatchDeadline(deadline);
  }

  #releaseDeadline(run: Run): void {
    const { clock, dispatcher } = this.#context;
    const { deadline } = run;
    if (deadline?.heldTimeoutMs === undefined || run.phase === 'done') return;
    deadline.dueAt = clock.now() + deadline.heldTimeoutMs;
    deadline.heldTimeoutMs = undefined;
    dispatcher.watchDeadline(deadline);
  }

  #clearWithdrawTimer(run: Run): void {
    if (run.withdrawTimer === undefined) return;
    this.#context.clock.clearTimeout(run.withdrawTimer);
    run.withdrawTimer = undefined;
  }
}
