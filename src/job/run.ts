import { invalidConfig, isPlainObject } from '../config/checks.js';
import type { DueEntry } from '../dispatch/due-queue.js';
import type { OrbitError } from '../errors/orbit-error.js';
import type { TimerHandle } from '../time/clock.js';
import type { Job } from './job.js';
import type { JobControl, JobData } from './job-config.js';

/** Where a run is: in its function (with `onStart`), in its closing hooks, or over. */
export type RunPhase = 'fn' | 'after' | 'done';

/** What a run reports back to its pool. */
export interface RunHost {
  /** The job's data changed. */
  dataSaved(job: Job): void;
  /** The run reached a checkpoint while a pause was asked for, and took it. */
  pauseTaken(run: Run): void;
}

/**
 * Mirrors a run's control state somewhere else: a worker thread running the job reads
 * `pauseRequested` and `getData()` from its own copy, kept up to date through this.
 */
export interface RunWatcher {
  /** A pause was asked for (`true`), or taken back, resumed or cancelled (`false`). */
  pauseChanged(requested: boolean): void;
  /** The job's data changed through {@link Run.saveData}. */
  dataChanged(data: JobData): void;
}

/**
 * One run of a job. It is also the {@link JobControl} the job receives, so a run costs
 * one object; its `AbortController` is made only when someone asks for the signal or
 * the run has to be aborted.
 */
export class Run implements JobControl, DueEntry {
  readonly job: Job;
  readonly scheduledAtMs: number;
  readonly fence: number;

  /** The run's deadline (epoch ms), while the dispatcher watches it. */
  dueAt = Number.POSITIVE_INFINITY;
  queueHandle = -1;
  /** Position among the live runs, or -1 when not live. Owned by the executor's live runs. */
  liveIndex = -1;
  phase: RunPhase = 'fn';
  /** Whether the run's deadline was ever armed. */
  deadlineArmed = false;
  /** Timeout left while a pause holds the deadline; `undefined` when not held. */
  heldTimeoutMs: number | undefined;
  /** The job's function returned a promise that has not settled yet. */
  fnPending = false;
  /** The timer that withdraws a pause the job does not take in time. */
  withdrawTimer: TimerHandle | undefined;
  /** How long the pause asked for may wait for a checkpoint; a store tells other processes. */
  pauseTimeoutMs: number | undefined;

  readonly #host: RunHost;
  #controller: AbortController | undefined;
  #abortReason: OrbitError | undefined;
  #pause: 'none' | 'requested' | 'taken' = 'none';
  #resumeWaiter: { resolve(taken: boolean): void; reject(reason: unknown): void } | undefined;
  #scheduledAt: Date | undefined;
  #watcher: RunWatcher | undefined;

  constructor(job: Job, scheduledAtMs: number, host: RunHost) {
    this.job = job;
    this.scheduledAtMs = scheduledAtMs;
    this.fence = job.fence;
    this.#host = host;
  }

  get seq(): number {
    return this.job.seq;
  }

  get jobId(): string {
    return this.job.id;
  }

  get signal(): AbortSignal {
    if (this.#controller === undefined) {
      this.#controller = new AbortController();
      if (this.#abortReason !== undefined) this.#controller.abort(this.#abortReason);
    }
    return this.#controller.signal;
  }

  get scheduledAt(): Date {
    return (this.#scheduledAt ??= new Date(this.scheduledAtMs));
  }

  get pauseRequested(): boolean {
    return this.#pause === 'requested';
  }

  /** Whether the job sits in a checkpoint, paused. */
  get pauseTakenNow(): boolean {
    return this.#pause === 'taken';
  }

  /** The run is over: completed, failed, stopped or abandoned. */
  isOver(): boolean {
    return this.phase === 'done';
  }

  /** The job's function has settled and the closing hooks are running. */
  isClosing(): boolean {
    return this.phase === 'after';
  }

  get aborted(): boolean {
    return this.#abortReason !== undefined;
  }

  /** Why the run was aborted, once it was. */
  get abortReason(): OrbitError | undefined {
    return this.#abortReason;
  }

  /** Sets (or with `undefined`, clears) the one watcher of this run's control state. */
  watch(watcher: RunWatcher | undefined): void {
    this.#watcher = watcher;
  }

  saveData(data: JobData): void {
    const given: unknown = data;
    if (!isPlainObject(given)) {
      throw invalidConfig('saveData argument', 'a plain object', data);
    }
    this.job.mergeData(data);
    this.#host.dataSaved(this.job);
    this.#watcher?.dataChanged(this.job.data);
  }

  getData(): JobData {
    return { ...this.job.data };
  }

  checkpoint(): Promise<boolean> {
    if (this.#pause !== 'requested' || this.phase === 'done') return Promise.resolve(false);

    this.#pause = 'taken';
    this.#host.pauseTaken(this);
    return new Promise<boolean>((resolve, reject) => {
      this.#resumeWaiter = { resolve, reject };
    });
  }

  requestPause(): void {
    this.#pause = 'requested';
    this.#watcher?.pauseChanged(true);
  }

  /** Ends a pause, taken or not; a job waiting in `checkpoint()` goes on. */
  endPause(): void {
    const waiter = this.#resumeWaiter;
    this.#pause = 'none';
    this.#resumeWaiter = undefined;
    this.#watcher?.pauseChanged(false);
    waiter?.resolve(true);
  }

  /** Aborts the signal with `reason`; a job paused in `checkpoint()` gets it as a rejection. */
  abort(reason: OrbitError): void {
    if (this.#abortReason !== undefined) return;

    this.#abortReason = reason;
    this.#controller?.abort(reason);
    const waiter = this.#resumeWaiter;
    this.#pause = 'none';
    this.#resumeWaiter = undefined;
    waiter?.reject(reason);
  }
}
