import { describeThrown, OrbitError } from '../errors/orbit-error.js';
import { jobFailed } from '../job/hook-runner.js';
import type { JobData } from '../job/job-config.js';
import type { ThreadTarget } from '../job/job-target.js';
import type { Run, RunWatcher } from '../job/run.js';
import type { RunOutcome } from '../job/run-strategy.js';
import type { Logger } from '../logging/logger.js';
import type { Clock, TimerHandle } from '../time/clock.js';
import { unpackThrown } from './packed-thrown.js';
import type { PooledThread, ThreadUser } from './pooled-thread.js';
import type { ThreadPool, ThreadRequest } from './thread-pool.js';
import {
  ABORT_CODES,
  ABORT_FLAG,
  PAUSE_FLAG,
  type CheckpointReply,
  type MessageFromThread,
  type RunDone,
} from './thread-protocol.js';

/** What a {@link ThreadRun} uses around it. */
export interface ThreadRunDeps {
  readonly pool: ThreadPool;
  readonly clock: Clock;
  readonly logger: Logger;
}

let lastRunId = 0;

/**
 * Carries one run into a worker thread and back: waits for a thread, starts the job's
 * module there, answers its `saveData` and `checkpoint()` calls through the run, and
 * mirrors pauses, aborts and data into the thread. When the run's signal aborts, the
 * thread has `killAfter` to settle; then it is terminated and the run fails `forced`.
 */
export class ThreadRun implements ThreadRequest, ThreadUser, RunWatcher {
  readonly limitsKey: string;
  readonly resourceLimits: ThreadTarget['resourceLimits'];

  readonly #runId = ++lastRunId;
  readonly #run: Run;
  readonly #target: ThreadTarget;
  readonly #deps: ThreadRunDeps;
  readonly #settle: (outcome: RunOutcome) => void;
  #thread: PooledThread | undefined;
  #killTimer: TimerHandle | undefined;
  #settled = false;
  #savingFromThread = false;

  constructor(
    run: Run,
    target: ThreadTarget,
    deps: ThreadRunDeps,
    settle: (outcome: RunOutcome) => void,
  ) {
    this.limitsKey = target.limitsKey;
    this.resourceLimits = target.resourceLimits;
    this.#run = run;
    this.#target = target;
    this.#deps = deps;
    this.#settle = settle;
  }

  /** Asks for a thread; the run starts when one is granted. */
  start(): void {
    if (this.#run.aborted) {
      this.#finish(this.#run.abortReason);
      return;
    }
    this.#run.signal.addEventListener('abort', this.#aborted, { once: true });
    this.#deps.pool.acquire(this);
  }

  granted(thread: PooledThread): void {
    const run = this.#run;
    this.#thread = thread;
    thread.lend(this);
    Atomics.store(thread.flags, PAUSE_FLAG, run.pauseRequested ? 1 : 0);
    run.watch(this);

    const { moduleUrl, exportName, loaderUrls } = this.#target;
    thread.post({
      type: 'run',
      runId: this.#runId,
      moduleUrl,
      exportName,
      loaderUrls,
      jobId: run.jobId,
      scheduledAtMs: run.scheduledAtMs,
      fence: run.fence,
      data: run.getData(),
    });
  }

  message(message: MessageFromThread): void {
    if (message.runId !== this.#runId || this.#settled) return;

    try {
      if (message.type === 'save') this.#save(message.data);
      else if (message.type === 'checkpoint') this.#checkpoint(message.checkpointId);
      else this.#done(message);
    } catch (error) {
      this.#deps.logger.error('a message from a worker thread could not be handled', {
        jobId: this.#run.jobId,
        error,
      });
    }
  }

  died(cause: Error | undefined): void {
    this.#thread = undefined;
    const reason = this.#run.abortReason;
    if (cause === undefined && reason !== undefined) {
      this.#finish(this.#forced(reason));
      return;
    }

    const how = cause === undefined ? 'was terminated' : `died: ${describeThrown(cause)}`;
    const error = new OrbitError(
      'JOB_EXECUTION',
      `job '${this.#run.jobId}' failed: its worker thread ${how}`,
      { jobId: this.#run.jobId, cause },
    );
    this.#finish(reason ?? error);
  }

  pauseChanged(requested: boolean): void {
    if (this.#thread !== undefined)
      Atomics.store(this.#thread.flags, PAUSE_FLAG, requested ? 1 : 0);
  }

  dataChanged(data: JobData): void {
    if (this.#savingFromThread || this.#thread === undefined) return;
    this.#thread.post({ type: 'data', runId: this.#runId, data: { ...data } });
  }

  #save(data: JobData): void {
    // Whatever a run does after it was stopped or timed out is ignored.
    if (this.#run.isOver() || this.#run.aborted) return;

    this.#savingFromThread = true;
    try {
      this.#run.saveData(data);
    } finally {
      this.#savingFromThread = false;
    }
  }

  #checkpoint(checkpointId: number): void {
    const reply = (outcome: CheckpointReply['outcome']): void => {
      this.#thread?.post({ type: 'checkpoint-reply', runId: this.#runId, checkpointId, outcome });
    };
    this.#run.checkpoint().then(
      (taken) => reply(taken ? 'resumed' : 'not-paused'),
      () => reply('aborted'),
    );
  }

  #done({ failure }: RunDone): void {
    const thread = this.#thread;
    this.#thread = undefined;
    if (thread !== undefined) this.#deps.pool.release(thread);

    const error = failure === undefined ? undefined : jobFailed(this.#run, unpackThrown(failure));
    this.#finish(this.#run.abortReason ?? error);
  }

  readonly #aborted = (): void => {
    const reason = this.#run.abortReason as OrbitError;
    const thread = this.#thread;
    if (thread === undefined) {
      this.#deps.pool.cancel(this);
      this.#finish(reason);
      return;
    }

    Atomics.store(thread.flags, ABORT_FLAG, ABORT_CODES.indexOf(reason.code) + 1);
    thread.post({ type: 'abort', runId: this.#runId, code: reason.code, message: reason.message });
    this.#killTimer = this.#deps.clock.setTimeout(this.#kill, this.#target.killAfterMs);
  };

  readonly #kill = (): void => {
    this.#killTimer = undefined;
    const thread = this.#thread;
    if (thread === undefined) return;

    this.#thread = undefined;
    this.#deps.pool.discard(thread);
    const reason = this.#run.abortReason as OrbitError;
    this.#deps.logger.warn('terminated a worker thread that did not stop after its abort', {
      jobId: this.#run.jobId,
      threadId: thread.threadId,
      killAfterMs: this.#target.killAfterMs,
      reason: reason.code,
    });
    this.#finish(this.#forced(reason));
  };

  /** The run's outcome when its thread had to be terminated after `reason`. */
  #forced(reason: OrbitError): OrbitError {
    const { killAfterMs } = this.#target;
    return new OrbitError(
      reason.code,
      `${reason.message}; its worker thread did not stop within ${killAfterMs} ms and was terminated`,
      { jobId: this.#run.jobId, forced: true },
    );
  }

  #finish(outcome: RunOutcome): void {
    if (this.#settled) return;
    this.#settled = true;

    if (this.#killTimer !== undefined) this.#deps.clock.clearTimeout(this.#killTimer);
    this.#run.signal.removeEventListener('abort', this.#aborted);
    this.#run.watch(undefined);
    this.#settle(outcome);
  }
}
