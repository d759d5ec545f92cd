import type { OrbitError } from '../errors/orbit-error.js';
import type { HookName } from '../job/job-config.js';

/** What every event of a pool carries. */
export interface PoolEventBase {
  /** The pool the event happened in. */
  readonly poolId: string;
}

/** What every event about one job carries. */
export interface JobEventBase extends PoolEventBase {
  readonly jobId: string;
}

/** What every event about one run carries. */
export interface RunEventBase extends JobEventBase {
  /** The due instant the run serves. */
  readonly scheduledAt: Date;
  /** The run's fence: it grows with every run of the job, from 1. */
  readonly fence: number;
}

/** A run began: its hooks and function are about to be called. */
export interface RunStartedEvent extends RunEventBase {
  readonly startedAt: Date;
  /** How late the run started: its start minus its due instant, in ms. */
  readonly latenessMs: number;
}

/** A run ended; what a success and a failure have in common. */
export interface RunEndedEvent extends RunEventBase {
  readonly startedAt: Date;
  readonly endedAt: Date;
  /** From start to end, time paused included, in ms. */
  readonly durationMs: number;
}

/** A run succeeded: its function and its closing hooks returned. */
export type RunSucceededEvent = RunEndedEvent;

/** A run failed: its function threw or rejected, it timed out, or a hook failed it. */
export interface RunFailedEvent extends RunEndedEvent {
  /** `JOB_EXECUTION`, `JOB_TIMEOUT` or `HOOK_FAILED`, with what was thrown as `cause`. */
  readonly error: OrbitError;
  /** Whether the retry policy keeps the job; `run:retried` follows when it does. */
  readonly willRetry: boolean;
}

/** A failed run is followed by a retry, on the job's normal schedule. */
export interface RunRetriedEvent extends RunEventBase {
  /** The failed run's error. */
  readonly error: OrbitError;
  /** Which retry this is since the counter was last reset, from 1. */
  readonly attempt: number;
  /** Retries left after this one; `Infinity` when the policy retries for ever. */
  readonly retriesLeft: number;
  /** When the retry is due. */
  readonly nextRunAt: Date;
}

/**
 * Due instants a job did not serve. `scheduledAt` and `fence` are those of the run that
 * held or followed them; the skipped instants are `firstAt` to `lastAt`, `count` in all.
 */
export interface TicksNotServedEvent extends RunEventBase {
  /** How many due instants were not served. */
  readonly count: number;
  /** The first of them. */
  readonly firstAt: Date;
  /** The last of them. */
  readonly lastAt: Date;
}

/**
 * Why due instants were missed:
 * - `'late'`: the run started after later instants had already fallen due (every worker
 *   slot was busy, or the event loop was blocked); the late run serves the first of them.
 * - `'misfire'`: instants lay behind the job when the pool began scheduling it (an
 *   interval job's `startAt` in the past, or downtime with a durable store) and its misfire
 *   policy does not run them: all of them with `'skip'`, all but the latest with `'once'`,
 *   those beyond the catch-up limit with `'all'`. Instants that `'all'` runs are not missed.
 */
export type MissReason = 'late' | 'misfire';

/** Due instants passed without a run; see {@link MissReason}. */
export interface RunMissedEvent extends TicksNotServedEvent {
  readonly reason: MissReason;
}

/**
 * Due instants fell while the job's previous run was still going (or paused): a job
 * never overlaps itself, so they were skipped. Emitted when that run ends.
 */
export interface RunSkippedEvent extends TicksNotServedEvent {
  /** When the job runs next, if it has a future. */
  readonly nextRunAt: Date | undefined;
}

/** A pause was asked for: the job is `paused` and waits for its next `checkpoint()`. */
export interface JobPausedEvent extends RunEventBase {
  /** How long the job has to reach a checkpoint before the pause is withdrawn, in ms. */
  readonly withdrawAfterMs: number;
}

/** A paused job went on, or a stopped job went back to its schedule. */
export interface JobResumedEvent extends JobEventBase {
  /** The status the job resumed from. */
  readonly from: 'paused' | 'stopped';
}

/** A pause the job did not take in time was withdrawn; the job is `running` again. */
export type JobPauseWithdrawnEvent = RunEventBase;

/** A job was stopped by `stopJob`, `removeJob` or `kill`. */
export interface JobStoppedEvent extends JobEventBase {
  /** `JOB_STOPPED`, or `POOL_SHUTDOWN` when the pool was killed. */
  readonly reason: OrbitError;
  /** The run that was aborted, if one was in progress. */
  readonly abortedRun: { readonly scheduledAt: Date; readonly fence: number } | undefined;
}

/**
 * Why a job ended:
 * - `'schedule-over'`: no due instant is left (its `endAt` passed, or its cron has no
 *   further match).
 * - `'failed'`: a run failed and the retry policy keeps it no longer.
 */
export type EndReason = 'schedule-over' | 'failed';

/** A job ended and left the pool; its last state stays in monitoring. */
export interface JobEndedEvent extends JobEventBase {
  readonly reason: EndReason;
  /** The last run's error, when the job ended because it failed. */
  readonly error: OrbitError | undefined;
  readonly success: number;
  readonly failure: number;
}

/** A job was added to the pool. */
export interface JobAddedEvent extends JobEventBase {
  readonly name: string;
}

/** A job was taken out of the pool by `removeJob`. */
export type JobRemovedEvent = JobEventBase;

/** A hook threw or rejected; the error is also recorded under `error.hookError`. */
export interface HookFailedEvent extends RunEventBase {
  readonly hook: HookName;
  /** A `HOOK_FAILED` error with what the hook threw as `cause`. */
  readonly error: OrbitError;
  /** The hook set `ignoreError`: the failure was recorded and the run went on. */
  readonly ignored: boolean;
}

/** The pool began scheduling (`run()`). */
export type PoolStartedEvent = PoolEventBase;

/** The pool was killed and every job recorded as stopped. */
export type PoolKilledEvent = PoolEventBase;

/**
 * Everything a pool lets you observe, by event name. Subscribe with `pool.on(name, fn)`.
 * Listeners run synchronously where the change happens; one that throws or rejects is
 * reported to the logger and the pool goes on. Payloads are built only when the event
 * has listeners.
 *
 * Around one run the order is: `run:missed` (if it started late), `run:started`, then
 * `hook:failed` for each failing hook, then `run:succeeded` or `run:failed`, then
 * `run:retried` or `job:ended`, then `run:skipped` if due instants fell during the run.
 */
export interface PoolEvents {
  'run:started': RunStartedEvent;
  'run:succeeded': RunSucceededEvent;
  'run:failed': RunFailedEvent;
  'run:retried': RunRetriedEvent;
  'run:skipped': RunSkippedEvent;
  'run:missed': RunMissedEvent;
  'hook:failed': HookFailedEvent;
  'job:added': JobAddedEvent;
  'job:removed': JobRemovedEvent;
  'job:paused': JobPausedEvent;
  'job:pause-withdrawn': JobPauseWithdrawnEvent;
  'job:resumed': JobResumedEvent;
  'job:stopped': JobStoppedEvent;
  'job:ended': JobEndedEvent;
  'pool:started': PoolStartedEvent;
  'pool:killed': PoolKilledEvent;
}

/** The name of a pool event. */
export type PoolEventName = keyof PoolEvents;

/** A listener of one pool event. It may return a promise; a rejection is logged. */
export type PoolEventListener<K extends PoolEventName> = (event: PoolEvents[K]) => unknown;

/** Every event name, in the order {@link PoolEvents} declares them. */
export const POOL_EVENT_NAMES: readonly PoolEventName[] = Object.freeze([
  'run:started',
  'run:succeeded',
  'run:failed',
  'run:retried',
  'run:skipped',
  'run:missed',
  'hook:failed',
  'job:added',
  'job:removed',
  'job:paused',
  'job:pause-withdrawn',
  'job:resumed',
  'job:stopped',
  'job:ended',
  'pool:started',
  'pool:killed',
]);
