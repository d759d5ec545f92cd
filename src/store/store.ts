import type { JobData } from '../job/job-config.js';

/**
 * A value now or later. Stores that answer synchronously (memory, SQLite) return the value
 * itself, and the pool goes on in the same tick with no promise made; stores that talk to
 * a server return a promise, and the pool waits for it.
 */
export type MaybePromise<T> = T | Promise<T>;

/**
 * Where a job is, as a store keeps it. `running` and `paused` belong to a live run; the
 * transient `completed` and `error` of the state machine are never stored (a finished run
 * leaves the job `waiting` for its next due instant, or `ended`).
 */
export type StoredStatus = 'waiting' | 'running' | 'paused' | 'stopped' | 'ended';

/** How a run ended. `running` is a run that has not ended (or was lost with its process). */
export type RunOutcome = 'running' | 'success' | 'failure' | 'stopped';

/** An error as a store keeps it: the code of the `OrbitError` and its message. */
export interface StoredError {
  readonly code: string;
  readonly message: string;
}

/** What the pool tells the store about a job when it is added (`addJob`). */
export interface JobDefinition {
  readonly jobId: string;
  readonly name: string;
  /**
   * A hash of the fields that decide when the job runs (interval or cron, zone, window).
   * The same hash as the stored one means a redeploy: the stored position is kept.
   */
  readonly scheduleHash: string;
  /** Where a job with this schedule starts, were it new: epoch ms, or none (no future). */
  readonly firstDueAt: number | undefined;
}

/**
 * The state a store keeps for one job: everything a restart needs to go on where the job
 * was. Instants are epoch milliseconds.
 */
export interface StoredJob {
  readonly jobId: string;
  readonly scheduleHash: string;
  readonly status: StoredStatus;
  /** The next due instant: the job's position on its schedule. While a run is live it is
   * the instant that run serves. `undefined`: the job has no future. */
  readonly dueAt: number | undefined;
  /** The fence of the latest claimed run; 0 before the first. Never goes down. */
  readonly fence: number;
  readonly success: number;
  readonly failure: number;
  /** Failures since the retry counter last went back to zero. */
  readonly retriesUsed: number;
  readonly lastStartAt: number | undefined;
  readonly lastEndAt: number | undefined;
  /** Why the latest finished run failed or was stopped. */
  readonly lastError: StoredError | undefined;
  /** The data the latest finished run saved (`saveData`), for dashboards. */
  readonly data: JobData;
}

/** One run in a job's history. */
export interface RunRecord {
  readonly jobId: string;
  readonly fence: number;
  /** The due instant the run served (`ctrl.scheduledAt`). */
  readonly scheduledAt: number;
  /** Which process ran it, as the store names it (host, pid). */
  readonly node: string;
  readonly startedAt: number;
  /** `undefined` while the run is live. */
  readonly endedAt: number | undefined;
  readonly outcome: RunOutcome;
  readonly error: StoredError | undefined;
}

/** What {@link Store.register} answers. */
export interface Registration {
  readonly job: StoredJob;
  /**
   * `true` when the job starts afresh at `firstDueAt`: the store did not know it, or its
   * schedule changed (its counts and history are kept).
   */
  readonly isFresh: boolean;
  /**
   * A run that a process which is gone left live: the pool fails it with `RUN_LOST`
   * through the retry policy (by {@link Store.complete} with the run's fence).
   */
  readonly lostRun: RunRecord | undefined;
}

/** A request to run one tick of a job. */
export interface RunClaim {
  readonly jobId: string;
  /** The due instant the run would serve. */
  readonly scheduledAt: number;
  /** Now, as the pool's clock reads it. */
  readonly startedAt: number;
  /**
   * The stored position the pool moved the job past (its misfire policy, at restore, or a
   * new job's start at `run()`): a tick after the stored position is won only while that
   * position is still `from`, and never without it. A claim won so adds `passedOver` (the
   * ticks from `from` up to this one) to the ticks on record before the run, for a store
   * that counts them.
   */
  readonly from?: number;
  readonly passedOver?: number;
}

/**
 * What {@link Store.claim} answers. When won, `job.fence` is the new run's fence and the
 * job's counts are the stored ones (the pool takes them over). When lost, `job` is where
 * the store has the job now (`undefined`: the store no longer has it): its status,
 * position, fence and counts; a store may leave out what only a run needs (its latest
 * start, end, error and data). The caller reads
 * the answer at once and keeps none of it: a store may answer with a view it reuses.
 */
export type ClaimResult =
  | { readonly won: true; readonly job: StoredJob }
  | {
      readonly won: false;
      readonly job: StoredJob | undefined;
      /**
       * The job's live run, lost with its process (its lease ran out), now taken over by
       * this caller: the pool fails it with `RUN_LOST` through the retry policy, by
       * {@link Store.complete} with its fence. Only stores with leases answer it.
       */
      readonly lostRun?: RunRecord | undefined;
      /**
       * While another process holds the job: when to claim again (epoch ms, by the
       * store's clock). The end of its run's lease unless renewed (a claim after it may
       * find the run lost), or about now while another claim or run end holds the job.
       */
      readonly heldUntil?: number | undefined;
    };

/** The end of a run, with the job's state after it; written as one transaction. */
export interface RunCompletion {
  readonly jobId: string;
  /** The run's fence: the write applies only while it is the job's latest fence. */
  readonly fence: number;
  readonly endedAt: number;
  readonly outcome: Exclude<RunOutcome, 'running'>;
  readonly error: StoredError | undefined;
  /** The job after the run: its status, next due instant, counts and the run's data. */
  readonly status: StoredStatus;
  readonly dueAt: number | undefined;
  readonly success: number;
  readonly failure: number;
  readonly retriesUsed: number;
  readonly data: JobData;
  /** Ticks after the run's own that the job passed over (it ran long, or was lost). */
  readonly skippedTicks?: number;
}

/** A change of status outside a run's end: pause, resume, stop. */
export interface StatusChange {
  readonly jobId: string;
  readonly status: StoredStatus;
  readonly dueAt: number | undefined;
  /** For `paused`: how long the run has to reach a checkpoint. */
  readonly pauseTimeoutMs?: number;
}

/** A command for a job's live run, wherever it runs: see {@link Store.command}. */
export interface RunCommand {
  readonly jobId: string;
  /** `pause`: ask the run to pause at a checkpoint; `resume`: let a paused run go on. */
  readonly kind: 'pause' | 'resume';
  /** For `pause`: how long the run has to reach a checkpoint. */
  readonly timeoutMs: number;
}

/**
 * A job's status as some pool on the store changed it (this one included): what every
 * pool holding the job applies to its own view, and what the pool running the job
 * applies to that run.
 */
export interface JobChange {
  readonly jobId: string;
  readonly status: StoredStatus;
  /** The fence of the job's latest claimed run: a change for a live run names it. */
  readonly fence: number;
  /** Whether a run is live (`running`, `paused`), and in this process. */
  readonly runsHere: boolean;
  readonly dueAt: number | undefined;
  /** For `paused`: how long the run has to reach a checkpoint. */
  readonly pauseTimeoutMs: number | undefined;
}

/**
 * What {@link Store.overdue} found: jobs whose ticks their first choice left to the others,
 * each with the tick it waits at (epoch ms); jobs whose run of a tick due by then is live
 * in some process; and how long until the next lease runs out (`undefined`: none is held).
 */
export interface OverdueJobs {
  readonly jobIds: readonly string[];
  readonly dueAts: readonly number[];
  readonly runningIds: readonly string[];
  readonly leaseEndsInMs: number | undefined;
}

/** What a pool hears from {@link Store.watch}. */
export interface StoreWatcher {
  /** A job's status changed, here or in another process. */
  changed(change: JobChange): void;
  /** A run in this process lost its lease: another process may take it over as lost. */
  runLost(jobId: string, fence: number): void;
  /**
   * The processes that share the pool changed, so a job's first choice
   * ({@link Store.standby}) may be another process now. Told by a store that ranks them.
   */
  membersChanged(): void;
}

/**
 * Where a pool keeps the state of its jobs. The pool (`PoolConfig.store`) calls it at a
 * few points of a job's life, never on the public API's behalf:
 *
 * - `addJob` → {@link Store.register}: upsert the definition, get the stored state back;
 * - a due tick → {@link Store.claim}: the run starts only when the claim is won;
 * - a run's end → {@link Store.complete}: outcome, counts and next due in one write;
 * - `pauseJob`, `resumeJob`, `stopJob` → {@link Store.setStatus}, or {@link Store.command}
 *   for a run in another process;
 * - what other pools did to the jobs → {@link Store.watch};
 * - `removeJob` → {@link Store.remove}.
 *
 * Every method may answer synchronously or with a promise ({@link MaybePromise}); the pool
 * awaits only real promises, so a synchronous store adds no promise to a run. A method that
 * cannot reach its database throws (or rejects with) an `OrbitError` `STORE_UNAVAILABLE`.
 *
 * Each pool uses the store under its own `poolId`; one store may serve many pools. A
 * `durable` store outlives the process, so the pool must have a stable `id`.
 *
 * Rules every store keeps (the conformance suite in `test/store/conformance.ts` checks
 * them):
 *
 * 1. `register` of a new job, or of a known job whose `scheduleHash` changed, sets its
 *    position to `firstDueAt` (a known job keeps its counts, status, fence and history;
 *    an `ended` one becomes `waiting` again). The same hash changes nothing.
 * 2. A claim is won only when the job is `waiting` (not live, stopped or ended) and
 *    `scheduledAt` is the stored `dueAt` (any tick when it has none), or a later tick of a
 *    claim that names the stored `dueAt` as its `from`: no tick in between is passed over
 *    unnoticed. Winning raises the fence by one, sets `running` and records the run
 *    (`outcome: 'running'`); so a tick is claimed at most once, and fences only grow,
 *    across restarts too.
 * 3. `complete` applies only with the fence of the job's latest claimed run, while that
 *    run is live; otherwise it answers `false` and writes nothing. A run that ended is
 *    never written again.
 * 4. The history keeps at most the store's retention limit of runs per job, newest first.
 * 5. Every `setStatus`, and every `command` that applied, is told to the pool's watchers
 *    (`watch`) as a {@link JobChange}, in the process that made it and, for a store that
 *    processes share, in every other.
 */
export interface Store {
  /** `true` when the state outlives the process; the pool then needs a stable `id`. */
  readonly durable: boolean;

  /** Upserts a job's definition and answers its stored state. */
  register(poolId: string, definition: JobDefinition): MaybePromise<Registration>;

  /** Claims one tick of a job; see rule 2. */
  claim(poolId: string, claim: RunClaim): MaybePromise<ClaimResult>;

  /** Records a run's end and the job's state after it, fenced; `false`: stale fence. */
  complete(poolId: string, completion: RunCompletion): MaybePromise<boolean>;

  /** Records a status change that is not the end of a run. */
  setStatus(poolId: string, change: StatusChange): MaybePromise<void>;

  /** Forgets a job and its history. */
  remove(poolId: string, jobId: string): MaybePromise<void>;

  /** The stored state of a job, or `undefined`. */
  job(poolId: string, jobId: string): MaybePromise<StoredJob | undefined>;

  /** A job's latest runs, newest first, at most `limit` (default: all that are kept). */
  history(poolId: string, jobId: string, limit?: number): MaybePromise<RunRecord[]>;

  /**
   * Asks for a pause or a resume of the job's live run, wherever it runs; `false` when no
   * run is live in the state the command needs (`pause`: running; `resume`: paused).
   */
  command(poolId: string, command: RunCommand): MaybePromise<boolean>;

  /**
   * Tells `watcher` of every status change of the pool's jobs (rule 5), and of runs here
   * that lost their lease. Returns the function that stops watching.
   */
  watch(poolId: string, watcher: StoreWatcher): () => void;

  /**
   * How long after a tick of the job falls due this process waits before claiming it:
   * 0 when it is the tick's first choice. A store that many processes share ranks them
   * per job, so that only one claims each tick at once and the others claim it only if
   * it is still unclaimed after a while (its first choice died). Claims stay the only
   * guard against running a tick twice. Stores of one process leave it out.
   */
  standby?(poolId: string, jobId: string): number;

  /**
   * For a store with {@link Store.standby}: the pool's jobs whose tick due at or before
   * `dueBy` (epoch ms) nobody claimed, and those whose live run's lease ran out by the
   * store's own clock. A pool standing by for such a job claims it (the claim decides, as
   * ever). One question covers the whole pool, so a process standing by for thousands of
   * jobs asks nothing per tick.
   */
  overdue?(poolId: string, dueBy: number): Promise<OverdueJobs>;

  /**
   * For a store whose runs hold leases: gives up at once the lease of the live run of
   * `jobId` at `fence` here if it went unrenewed too long by this process's steady clock
   * (the process was frozen, or its event loop blocked), telling the watchers' `runLost`
   * before it returns. A run asks when its job reads `signal` or reaches a checkpoint, so
   * that a job resumed after a stall finds its run aborted before its next step, not
   * only once a timer of the store fires.
   */
  checkLease?(poolId: string, jobId: string, fence: number): void;

  /**
   * Refuses a job or pool id this store could not keep as given (`addJob` and
   * `createPool` ask before anything else). Stores that keep any string leave it out.
   * @throws OrbitError `INVALID_CONFIG`
   */
  checkId?(id: string, of: 'job' | 'pool'): void;

  /**
   * Refuses job data this store could not keep as given (`saveData` asks before it
   * merges). Stores that keep any object leave it out. @throws OrbitError `INVALID_CONFIG`
   */
  checkData?(data: JobData): void;

  /** Releases what the store holds (connections, file handles). The owner calls it. */
  close(): MaybePromise<void>;
}
