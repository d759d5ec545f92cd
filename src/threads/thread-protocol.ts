import type { ErrorCode } from '../errors/error-codes.js';
import type { JobData } from '../job/job-config.js';
import type { PackedThrown } from './packed-thrown.js';

/**
 * The messages between a pool and its worker threads. A thread runs one run at a time;
 * every message names its run, so a late message of an earlier run is ignored.
 *
 * Two flags live in memory shared with the thread, so that a job that computes without
 * ever awaiting still sees them: whether a pause is asked for, and the abort code.
 */
export const PAUSE_FLAG = 0;
export const ABORT_FLAG = 1;
export const FLAG_COUNT = 2;

/** Abort reasons as numbers for {@link ABORT_FLAG}: 0 means not aborted. */
export const ABORT_CODES: readonly ErrorCode[] = ['JOB_TIMEOUT', 'JOB_STOPPED', 'POOL_SHUTDOWN'];

/** What a thread receives when it starts. */
export interface ThreadData {
  /** Backs an `Int32Array` of {@link FLAG_COUNT} flags. */
  readonly flags: SharedArrayBuffer;
  /** The thread's own code. */
  readonly entryUrl: string;
  /** tsx's register APIs, when the thread's own code is TypeScript (Orbit run from source). */
  readonly loaderUrls: readonly string[];
}

/** Starts a run in the thread. */
export interface RunRequest {
  readonly type: 'run';
  readonly runId: number;
  readonly moduleUrl: string;
  readonly exportName: string;
  /** tsx's register APIs, when the module is TypeScript. */
  readonly loaderUrls: readonly string[] | undefined;
  readonly jobId: string;
  readonly scheduledAtMs: number;
  readonly fence: number;
  readonly data: JobData;
}

/** The run's signal aborted. */
export interface AbortNotice {
  readonly type: 'abort';
  readonly runId: number;
  readonly code: ErrorCode;
  readonly message: string;
}

/** The answer to a {@link CheckpointRequest}. */
export interface CheckpointReply {
  readonly type: 'checkpoint-reply';
  readonly runId: number;
  readonly checkpointId: number;
  /** `resumed`: the pause was taken and is over; `aborted`: the signal aborted meanwhile. */
  readonly outcome: 'resumed' | 'not-paused' | 'aborted';
}

/** The job's data changed on the pool's side (a hook saved some). */
export interface DataNotice {
  readonly type: 'data';
  readonly runId: number;
  readonly data: JobData;
}

export type MessageToThread = RunRequest | AbortNotice | CheckpointReply | DataNotice;

/** The job called `saveData`. */
export interface SaveRequest {
  readonly type: 'save';
  readonly runId: number;
  readonly data: JobData;
}

/** The job called `checkpoint()` while a pause was asked for. */
export interface CheckpointRequest {
  readonly type: 'checkpoint';
  readonly runId: number;
  readonly checkpointId: number;
}

/** The job's function settled. */
export interface RunDone {
  readonly type: 'done';
  readonly runId: number;
  /** What the function threw; absent when it succeeded. */
  readonly failure?: PackedThrown;
}

export type MessageFromThread = SaveRequest | CheckpointRequest | RunDone;
