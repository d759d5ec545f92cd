import type { PoolEventReporter } from '../events/pool-event-reporter.js';
import type { Dispatcher } from '../dispatch/dispatcher.js';
import { OrbitError } from '../errors/orbit-error.js';
import type { Clock } from '../time/clock.js';
import { jobFailed, runHook, type HookFailed } from './hook-runner.js';
import type { Job } from './job.js';
import type { JobStateMachine } from './job-state-machine.js';
import { isThreadTarget } from './job-target.js';
import { LiveRuns } from './live-runs.js';
import { RunDeadline, type Run } from './run.js';
import { inlineStrategy, type RunOutcome, type RunStrategy } from './run-strategy.js';

/** What the executor needs from its pool. */
export interface ExecutorContext {
  readonly clock: Clock;
  readonly dispatcher: Dispatcher<Job, RunDeadline>;
  readonly states: JobStateMachine;
  /** Timeout of jobs that set none. */
  readonly idleTimeoutMs: number;
  /** A hook failed and its error was recorded on the run's job. */
  readonly hookRecorded: HookFailed;
  /** Where the run's start is reported. */
  readonly report: PoolEventReporter;
  /** Runs jobs that name a `worker` module. */
  readonly threadStrategy: RunStrategy;
  /** A run that was aborted by `kill` settled. */
  readonly abandonedRunSettled: (run: Run) => void;
  /** A run closed: it is no longer among the live runs. */
  readonly runClosed: () => void;
}

/**
 * Carries one run from start to end: `onStart`, the job's function, `onSuccess` or
 * `onError`, `finally`, then the outcome to the state machine. A run whose job has no
 * hooks and returns without a promise finishes in the same tick, with no promise made.
 *
 * A run's deadline covers all of it. A run that is timed out or stopped is closed at
 * once; whatever its function does afterwards is ignored. The one exception is a timed-out
 * run in a worker thread: it closes when its thread has stopped, by itself or by force.
 */
export class RunExecutor {
  readonly #context: ExecutorContext;
  readonly #live = new LiveRuns();

  constructor(context: ExecutorContext) {
    this.#context = context;
  }

  /** Runs started and not yet over. */
  get liveRuns(): LiveRuns {
    return this.#live;
  }

  /** Starts a run of a due job with the store's `fence`; it holds a worker slot until it ends. */
  start(job: Job, nowMs: number, fence: number): void {
    const previousEndMs = job.lastEndMs;
    const run = this.#context.states.begin(job, nowMs, fence);
    this.#live.add(run);
    this.#context.report.runStarted(run, nowMs, previousEndMs);
    // A listener of the start may have stopped the job or killed the pool.
    if (run.isOver()) return;
    if (job.config.hooks?.onStart === undefined) {
      this.#invoke(run);
      return;
    }

    this.#watchDeadline(run);
    void this.#startWithHook(run);
  }

  /** The run's deadline passed: it fails with `JOB_TIMEOUT`. */
  expire(run: Run): void {
    const { jobId } = run;
    const timeoutMs = run.job.config.timeoutMs ?? this.#context.idleTimeoutMs;
    const error = new OrbitError('JOB_TIMEOUT', `job '${jobId}' timed out after ${timeoutMs} ms`, {
      jobId,
    });

    run.abort(error);
    if (run.phase !== 'fn') {
      this.#complete(run, error);
      return;
    }

    // The strategy reports the outcome once the function has stopped.
    if (run.fnPending && this.#strategyOf(run).waitsAfterAbort) return;
    this.#fnSettled(run, error);
  }

  /**
   * Closes a run without an outcome (stop, remove, kill): its signal aborts with
   * `reason`, its worker slot is freed, and nothing it does later counts.
   */
  abandon(run: Run, reason: OrbitError): void {
    if (run.phase === 'done') return;
    run.abort(reason);
    this.#close(run);
  }

  #invoke(run: Run): void {
    const outcome = this.#strategyOf(run).invoke(run);
    if (!(outcome instanceof Promise)) {
      this.#fnSettled(run, outcome);
      return;
    }

    run.fnPending = true;
    this.#watchDeadline(run);
    outcome.then(
      (error: RunOutcome) => this.#fnSettled(run, error),
      (thrown: unknown) => this.#fnSettled(run, jobFailed(run, thrown)),
    );
  }

  #strategyOf(run: Run): RunStrategy {
    return isThreadTarget(run.job.config.target) ? this.#context.threadStrategy : inlineStrategy;
  }

  async #startWithHook(run: Run): Promise<void> {
    const hookError = await runHook(run, 'onStart', undefined, this.#context.hookRecorded);
    if (run.isClosing() || run.isOver()) return;

    // A failed onStart fails the run without calling the job.
    if (hookError !== undefined) this.#fnSettled(run, hookError);
    else this.#invoke(run);
  }

  #fnSettled(run: Run, error: OrbitError | undefined): void {
    run.fnPending = false;
    if (run.phase !== 'fn') {
      if (run.aborted) this.#context.abandonedRunSettled(run);
      return;
    }

    run.phase = 'after';
    const hooks = run.job.config.hooks;
    const closing = hooks?.onSuccess ?? hooks?.onError ?? hooks?.finally;
    if (closing === undefined) {
      this.#complete(run, error);
      return;
    }

    this.#watchDeadline(run);
    void this.#closingHooks(run, error);
  }

  async #closingHooks(run: Run, fnError: OrbitError | undefined): Promise<void> {
    const recorded = this.#context.hookRecorded;
    let error = fnError;

    if (error === undefined) error = await runHook(run, 'onSuccess', undefined, recorded);
    else await runHook(run, 'onError', error, recorded);

    // `finally` closes every run that reached here, even one cut short meanwhile.
    const finallyError = await runHook(run, 'finally', error, recorded);
    if (run.isOver()) return;

    this.#complete(run, error ?? finallyError);
  }

  #complete(run: Run, error: OrbitError | undefined): void {
    if (run.phase === 'done') return;
    this.#settle(run);
    this.#context.states.finish(run.job, run, error, this.#context.clock.now());
    this.#context.dispatcher.release();
  }

  #close(run: Run): void {
    this.#settle(run);
    this.#context.dispatcher.release();
  }

  #settle(run: Run): void {
    const { clock, dispatcher } = this.#context;
    run.phase = 'done';
    this.#live.delete(run);
    if (run.deadline !== undefined) dispatcher.unwatchDeadline(run.deadline);
    if (run.withdrawTimer !== undefined) {
      clock.clearTimeout(run.withdrawTimer);
      run.withdrawTimer = undefined;
    }
    this.#context.runClosed();
  }

  /** Arms the run's deadline, counted from its start; once per run. */
  #watchDeadline(run: Run): void {
    if (run.deadline !== undefined) return;
    const deadline = new RunDeadline(run);
    run.deadline = deadline;
    const timeoutMs = run.job.config.timeoutMs ?? this.#context.idleTimeoutMs;
    const { lastStartMs } = run.job;
    const startMs = Number.isNaN(lastStartMs) ? this.#context.clock.now() : lastStartMs;
    deadline.dueAt = startMs + timeoutMs;
    this.#context.dispatcher.watchDeadline(deadline);
  }
}
