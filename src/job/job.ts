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
  queueHandle = -1;

  status: JobStatus = JobStatus.Waiting;
  success = 0;
  failure = 0;
  /** Failures since the retry counter last went back to zero. */
  retriesUsed = 0;
  /** The fence of the latest run, given by the store; handed to the run as `fence`. */
  fence = 0;
  /** Whether the job has been given its first due instant. */
  scheduled = false;
  /** The job came back from a store with a position that is not queued yet. */
  restored = false;
  /** Until the store has answered `register`, the job cannot be scheduled. */
  registering = false;
  /** Its next tick was asked for in this process (`runNow`): it claims it at once. */
  askedHere = false;
  /** A claim of its tick awaits the store's answer. */
  claiming = false;
  /** It waits on its pool's standby queue, off the dispatcher (see `StandingBy`). */
  standingBy = false;
  /**
   * It left its pool (removed, ended, or the pool was killed): a job added later under its
   * id is another one.
   */
  left = false;
  /** It stood by for its due tick, which is still unclaimed: it claims it now. */
  stoodBy = false;
  /**
   * The stored position its next claim must start from, when this process moved the job
   * past it (a misfire policy, at restore), may be ahead of it (the store refused a run
   * end here), or starts it afresh (a new job, scheduled at `run()`): the claim names it,
   * and wins a later tick only while the store still holds the job there, so no tick is
   * passed over unrecorded. NaN: the job is where the store has it.
   */
  claimFromMs = Number.NaN;
  /**
   * The position at `claimFromMs` is where a new job was registered, not a tick it owed:
   * a claim from there passes over no tick.
   */
  claimPassesNone = false;
  /**
   * It claimed a tick after standing by and won it: the tick's first choice did not run it
   * (it is gone, or does not have the job). It claims the job's ticks at once until another
   * process runs the job again.
   */
  takenOver = false;
  // The instants below are NaN when there is none, never `undefined`: a field that only
  // holds numbers is stored as a double in place, one that mixes in `undefined` boxes
  // every number written to it, which costs an allocation on each run.
  /** With `misfire: 'all'`, every tick up to this instant runs in turn (after downtime). */
  catchUpUntilMs = Number.NaN;
  /** The due instant the latest run served. */
  lastScheduledMs = Number.NaN;
  lastStartMs = Number.NaN;
  lastEndMs = Number.NaN;
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

  /** The data saved so far, or `undefined` when none was (no object is made for it). */
  get savedData(): JobData | undefined {
    return this.#data;
  }

  /** The job is where the store has it: its next claim names no other position. */
  atStoredPosition(): void {
    this.claimFromMs = Number.NaN;
    this.claimPassesNone = false;
  }

  /** Puts back the data a store kept from the latest run. */
  restoreData(data: JobData): void {
    this.#data = Object.keys(data).length === 0 ? undefined : { ...data };
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
