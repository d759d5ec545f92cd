import type { ResourceLimits } from 'node:worker_threads';
import type { OrbitError } from '../errors/orbit-error.js';
import type { Duration } from '../time/duration.js';

/** A job's data: a plain object that `saveData` merges into and `getData` copies. */
export type JobData = Record<string, unknown>;

/** What a running job (and each of its hooks) receives. */
export interface JobControl {
  /** The job's id. */
  readonly jobId: string;
  /**
   * Aborts on `stopJob`, `removeJob`, `kill` and timeout; `signal.reason` is an
   * {@link OrbitError} with code `JOB_STOPPED`, `POOL_SHUTDOWN` or `JOB_TIMEOUT`.
   */
  readonly signal: AbortSignal;
  /** The due instant this run serves. */
  readonly scheduledAt: Date;
  /**
   * A number that grows with every claimed run of the job: with a durable store, an
   * idempotency key for the run. In memory it counts the job's runs from 1.
   */
  readonly fence: number;
  /** `true` while a pause is asked for and not yet taken at a {@link JobControl.checkpoint}. */
  readonly pauseRequested: boolean;
  /** Merges `data` into the job's data (shallow) and reports the new state to monitoring. */
  saveData(data: JobData): void;
  /** A shallow copy of the job's data. */
  getData(): JobData;
  /**
   * A place where the job allows a pause. When one is asked for, the job takes it: the
   * promise waits until `resumeJob` and resolves `true`. Otherwise it resolves `false` at
   * once. It rejects with `signal.reason` if the signal aborts while paused.
   */
  checkpoint(): Promise<boolean>;
}

/** The work of a job: sync or async; a throw or a rejection fails the run. */
export type JobFn = (ctrl: JobControl) => unknown;

/** A hook function; `error` is the run's error for `onError` and a failed run's `finally`. */
export type HookFn = (ctrl: JobControl, error?: OrbitError) => unknown;

/** One hook: its function, and whether a failure of it is only recorded. */
export interface Hook {
  fn: HookFn;
  /** Record a failure of this hook under `error.hookError` but let the run go on. */
  ignoreError?: boolean;
}

/** The seven hooks, in the order they can fire around a run. */
export interface JobHooks {
  onStart?: Hook;
  onSuccess?: Hook;
  onError?: Hook;
  finally?: Hook;
  onPause?: Hook;
  onResume?: Hook;
  onStop?: Hook;
}

/** The name of one of the seven hooks. */
export type HookName = keyof JobHooks;

/** What happens after a failed run. */
export interface RetryConfig {
  /**
   * Keep the job after a failure. Without it, `count` and `resetOnSuccess` do nothing and
   * the pool logs a warning. @default false
   */
  active?: boolean;
  /** Retries allowed after the first failure; 0 means without end. @default 0 */
  count?: number;
  /** A success sets the retry counter back to zero. @default false */
  resetOnSuccess?: boolean;
}

/** What a job does about ticks it missed while no process ran it (durable stores). */
export type MisfirePolicy = 'once' | 'skip' | 'all';

/** A job as the user describes it; validated once by `addJob`. */
export interface JobConfig {
  /** Unique in its pool. @throws `EMPTY_ID`, `ID_EXISTS` */
  id: string;
  /** A name for people. @default the id */
  name?: string;
  /**
   * The work, run on the pool's thread. Set exactly one of `fn` and `worker`.
   * @throws `EMPTY_FUNCTION` when neither is set, `INVALID_CONFIG` when both are
   */
  fn?: JobFn;
  /**
   * A module whose exported function is the work, run in a worker thread of the pool so
   * that CPU-heavy work does not hold up other jobs: an absolute path, a `file:` URL
   * string or a `URL`. The function receives a {@link JobControl} as `fn` does. Modules
   * may be `.js`, `.mjs` or `.cjs`; `.ts`, `.mts` and `.cts` need `tsx` installed.
   *
   * @example worker: new URL('./resize.js', import.meta.url)
   * @throws `INVALID_CONFIG` when the file does not exist or its type is not supported
   */
  worker?: URL | string;
  /** Which export of `worker` to call. @default 'default' */
  export?: string;
  /**
   * How long a `worker` job may go on after its signal aborts (timeout, stop, kill)
   * before its thread is terminated; a timed-out run then fails with a `JOB_TIMEOUT`
   * whose `forced` is `true`.
   * @default 2 s
   */
  killAfter?: Duration;
  /** Memory limits of the thread that runs a `worker` job; past them the run fails. */
  resourceLimits?: ResourceLimits;
  /** Run every `time`, on a grid that starts at `startAt` (or when the pool runs). */
  interval?: { time: Duration };
  /** A cron expression: 5 fields, or 6 with seconds first; `@daily` and friends. */
  cron?: string;
  /** IANA zone the cron expression is read in. @default the process's local zone */
  timezone?: string;
  /** A run that lasts longer fails with `JOB_TIMEOUT`. @default the pool's `idleTimeout` */
  timeout?: Duration;
  /** No run starts before this instant. */
  startAt?: Date | number;
  /** No run starts after this instant; then the job ends. */
  endAt?: Date | number;
  /** What happens after a failed run. @default no retries: one failure ends the job */
  retry?: RetryConfig;
  /** Functions called around runs and on control calls. */
  hooks?: JobHooks;
  /** Ticks missed during downtime, with a durable store. @default 'once' */
  misfire?: MisfirePolicy;
}
