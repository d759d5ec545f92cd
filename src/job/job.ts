import type { OrbitError } from '../errors/orbit-error.js';
import type { DueEntry } from '../dispatch/due-queue.js';
import type { HookName, JobData } from './job-config.js';
import { JobStatus } from './job-status.js';
import type { ResolvedJobConfig } from './resolve-job-config.js';
import type { Run } from './run.js';

/**
 * A job inside a pool: its resolved options and everything that changes as it runs.
 * Only the state machine (`job-state-machine.ts`) assigns `status`.
 */
export class Job implements DueEntry {
  readonly config: ResolvedJobConfig;
  /** Order of addition to the pool: breaks ties between jobs due at one instant. */
  readonly seq: number;

  /** The instant the job is next due (while queued), or the one its run serves. */
  dueAt = 0;
  queueIndex = -1;

  status: JobStatus = JobStatus.Waiting;
  success = 0;
  failure = 0;
  /** Failures since the retry counter last went back to zero. */
  retriesUsed = 0;
  /** Grows with every run started; handed to the run as `fence`. */
  fence = 0;
  /** Whether the job has been given its first due instant. */
  scheduled = false;
  /** The due instant the latest run served. */
  lastScheduledMs: number | undefined;
  lastStartMs: number | undefined;
  lastEndMs: number | undefined;
  /** The run in progress, if any. */
  run: Run | undefined;

  #data: JobData | undefined;
  jobError: OrbitError | undefined;
  hookErrors: Partial<Record<HookName, OrbitError>> | undefined;

  constructor(config: ResolvedJobConfig, seq: number) {
    this.config = config;
    this.seq = seq;
  }

  get id(): string {
    return this.config.id;
  }

  get data(): JobData {
    return (this.#data ??= {});
  }

  mergeData(patch: JobData): void {
    this.#data = { ...this.#data, ...patch };
  }

  /** A new run begins with no data and no errors. */
  clearRunState(): void {
    this.#data = undefined;
    this.jobError = undefined;
    this.hookErrors = undefined;
  }

  recordHookError(hook: HookName, error: OrbitError): void {
    (this.hookErrors ??= {})[hook] = error;
  }
}
