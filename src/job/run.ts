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
  /**
   * Refuses data the pool's store could not keep. Only what `saveData` adds is asked
   * about: the data the job holds was checked, or read from the store, already.
   * @throws OrbitError `INVALID_CONFIG`
   */
  checkData(data: JobData): void;
  /** The job's data changed. */
  dataSaved(job: Job): void;
  /** The run reached a checkpoint while a pause was asked for, and took it. */
  pauseTaken(run: Run): void;
  /**
   * The job reads its signal or reaches a checkpoint: a store may find now that the run's
   * lease went stale while the process stalled, and abort the run before it goes on.
   */
  checkLease(run: Run): void;
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
 * A run's deadline, as the dispatcher watches it. Made only for a run that needs one (an
 * async function, a hook), so a run that returns at once allocates none.
 */
export class RunDeadline implements DueEntry {
  readonly run: Run;
  /** The deadline (epoch ms), while the dispatcher watches it. */
  dueAt = Number.POSITIVE_INFINITY;
  queueHandle = -1;
  /** Timeout left while a pause holds the deadline; `undefined` when not held. */
  heldTimeoutMs: number | undefined;

  constructor(run: Run) {
    this.run = run;
  }

  get seq(): number {
    return this.run.job.seq;
  }
}

/** What only a run that is signalled, paused or watched needs; made on first use. */
interface RunControlState {
  controller: AbortController | undefined;
  abortReason: OrbitError | undefined;
  pause: 'none' | 'requested' | 'taken';
  resumeWaiter: { resolve(taken: boolean): void; reject(reason: unknown): void } | undefined;
  watcher: RunWatcher | undefined;
  withdrawTimer: TimerHandle | undefined;
  pauseTimeoutMs: number | undefined;
}

/**
 * One run of a job. It is also the {@link JobControl} the job receives. Every run of every
 * job makes one, so it holds only what each run uses: its deadline, its `AbortController`,
 * its `scheduledAt` date and its pause state are made when something first needs them.
 */
export class Run implements JobControl {
  readonly job: Job;
  readonly scheduledAtMs: number;
  readonly fence: number;

  /** Position among the live runs, or -1 when not live. Owned by the executor's live runs. */
  liveIndex = -1;
  phase: RunPhase = 'fn';
  /** The job's function returned a promise that has not settled yet. */
  fnPending = false;
  /** The run's deadline, once it was armed. */
  deadline: RunDeadline | undefined;

  readonly #host: RunHost;
  #scheduledAt: Date | undefined;
  #state: RunControlState | undefined;

  constructor(job: Job, scheduledAtMs: number, host: RunHost) {
    this.job = job;
    this.scheduledAtMs = scheduledAtMs;
    this.fence = job.fence;
    this.#host = host;
  }

  get #control(): RunControlState {
    return (this.#state ??= {
      controller: undefined,
      abortReason: undefined,
      pause: 'none',
      resumeWaiter: undefined,
      watcher: undefined,
      withdrawTimer: undefined,
      pauseTimeoutMs: undefined,
    });
  }

  /** The timer that withdraws a pause the job does not take in time. */
  get withdrawTimer(): TimerHandle | undefined {
    return this.#state?.withdrawTimer;
  }

  set withdrawTimer(timer: TimerHandle | undefined) {
    this.#control.withdrawTimer = timer;
  }

  /** How long the pause asked for may wait for a checkpoint; a store tells other processes. */
  get pauseTimeoutMs(): number | undefined {
    return this.#state?.pauseTimeoutMs;
  }

  set pauseTimeoutMs(timeoutMs: number | undefined) {
    this.#control.pauseTimeoutMs = timeoutMs;
  }

  get seq(): number {
    return this.job.seq;
  }

  get jobId(): string {
    return this.job.id;
  }

  get signal(): AbortSignal {
    if (this.phase !== 'done') this.#host.checkLease(this);
    const control = this.#control;
    if (control.controller === undefined) {
      control.controller = new AbortController();
      if (control.abortReason !== undefined) control.controller.abort(control.abortReason);
    }
    return control.controller.signal;
  }

  get scheduledAt(): Date {
    return (this.#scheduledAt ??= new Date(this.scheduledAtMs));
  }

  get pauseRequested(): boolean {
    return this.#state?.pause === 'requested';
  }

  /** Whether the job sits in a checkpoint, paused. */
  get pauseTakenNow(): boolean {
    return this.#state?.pause === 'taken';
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
    return this.#state?.abortReason !== undefined;
  }

  /** Why the run was aborted, once it was. */
  get abortReason(): OrbitError | undefined {
    return this.#state?.abortReason;
  }

  /** Sets (or with `undefined`, clears) the one watcher of this run's control state. */
  watch(watcher: RunWatcher | undefined): void {
    this.#control.watcher = watcher;
  }

  saveData(data: JobData): void {
    const given: unknown = data;
    if (!isPlainObject(given)) {
      throw invalidConfig('saveData argument', 'a plain object', data);
    }
    // Refused before it is merged: the job keeps the data it had.
    this.#host.checkData(data);
    this.job.mergeData(data);
    this.#host.dataSaved(this.job);
    this.#state?.watcher?.dataChanged(this.job.data);
  }

  getData(): JobData {
    return { ...this.job.data };
  }

  checkpoint(): Promise<boolean> {
    if (this.phase !== 'done') this.#host.checkLease(this);
    const control = this.#state;
    if (control?.pause !== 'requested' || this.phase === 'done') return Promise.resolve(false);

    control.pause = 'taken';
    this.#host.pauseTaken(this);
    return new Promise<boolean>((resolve, reject) => {
      control.resumeWaiter = { resolve, reject };
    });
  }

  requestPause(): void {
    const control = this.#control;
    control.pause = 'requested';
    control.watcher?.pauseChanged(true);
  }

  /** Ends a pause, taken or not; a job waiting in `checkpoint()` goes on. */
  endPause(): void {
    const control = this.#state;
    if (control === undefined) return;
    const waiter = control.resumeWaiter;
    control.pause = 'none';
    control.resumeWaiter = undefined;
    control.watcher?.pauseChanged(false);
    waiter?.resolve(true);
  }

  /** Aborts the signal with `reason`; a job paused in `checkpoint()` gets it as a rejection. */
  abort(reason: OrbitError): void {
    const control = this.#control;
    if (control.abortReason !== undefined) return;

    control.abortReason = reason;
    control.controller?.abort(reason);
    const waiter = control.resumeWaiter;
    control.pause = 'none';
    control.resumeWaiter = undefined;
    waiter?.reject(reason);
  }
}
