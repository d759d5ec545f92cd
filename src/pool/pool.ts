import {
  invalidConfig,
  isPlainObject,
  isThenable,
  refuseUnknownKeys,
  shown,
} from '../config/checks.js';
import { Dispatcher } from '../dispatch/dispatcher.js';
import { OrbitError } from '../errors/orbit-error.js';
import { EventEmitter } from '../events/event-emitter.js';
import { PoolEventReporter } from '../events/pool-event-reporter.js';
import {
  POOL_EVENT_NAMES,
  type PoolEventListener,
  type PoolEventName,
  type PoolEvents,
} from '../events/pool-events.js';
import { runHook } from '../job/hook-runner.js';
import { Job } from '../job/job.js';
import type { HookName, JobConfig, JobData } from '../job/job-config.js';
import { JobStateMachine } from '../job/job-state-machine.js';
import { JobStatus } from '../job/job-status.js';
import { inactiveRetryWarning, resolveJobConfig } from '../job/resolve-job-config.js';
import { Run, type RunDeadline } from '../job/run.js';
import { RunExecutor } from '../job/run-executor.js';
import { logPoolEvents } from '../logging/log-pool-events.js';
import { silentLogger, type Logger } from '../logging/logger.js';
import { snapshotJob } from '../monitoring/job-snapshot.js';
import { MemoryMonitoring } from '../monitoring/memory-monitoring.js';
import type { JobState, Monitoring } from '../monitoring/monitoring.js';
import { readMetrics } from '../monitoring/read-metrics.js';
import { ThreadStrategy } from '../threads/thread-strategy.js';
import type { Clock, TimerHandle } from '../time/clock.js';
import { parseDuration, type Duration } from '../time/duration.js';
import { JobLedger } from './job-ledger.js';
import { JobRegistrar } from './job-registrar.js';
import { PauseControl } from './pause-control.js';
import { RunClaims } from './run-claims.js';
import type { ResolvedPoolConfig } from './resolve-pool-config.js';
import { checkRunnableNow } from './run-now-check.js';
import { recoverLostRun } from './job-restore.js';
import { StoreChanges } from './store-changes.js';

/** What a pool receives from the {@link Orbit} that creates it. */
export interface PoolDeps {
  readonly clock: Clock;
  readonly logger: Logger;
  readonly monitoring: Monitoring | undefined;
}

const KILL_OPTIONS: ReadonlySet<string> = new Set(['timeout', 'grace']);

/** Options of {@link Pool.kill}. */
export interface KillOptions {
  /**
   * How long to wait for aborted runs to settle. @default 30 s. Given to a second `kill()`
   * call, it shortens the wait of the first (`0`: stop waiting at once).
   */
  timeout?: Duration;
  /**
   * How long runs in progress may go on to finish by themselves before they are
   * aborted. No run starts meanwhile. A second `kill()` call ends it at once. @default 0
   */
  grace?: Duration;
}

/**
 * A set of jobs that share worker slots, monitoring and a store. Create one with
 * `orbit.createPool()`, add jobs, then `run()`.
 */
export class Pool {
  /** The pool's id, as given or generated. */
  readonly id: string;

  readonly #config: ResolvedPoolConfig;
  readonly #clock: Clock;
  readonly #logger: Logger;
  readonly #monitoring: Monitoring;
  /** The built-in monitoring when no custom one was given: it keeps departed jobs. */
  readonly #builtIn: MemoryMonitoring | undefined;
  /** Snapshots are built on every change only for a monitoring the user passed in. */
  readonly #reportsEveryChange: boolean;
  /** The jobs in the pool, in order of addition. */
  readonly #jobs = new Map<string, Job>();
  /** The store's side of the pool; none without a store (the in-memory default). */
  readonly #ledger: JobLedger | undefined;
  readonly #registrar: JobRegistrar | undefined;
  readonly #claims: RunClaims | undefined;
  /** What other pools on the store do to the same jobs; none without a store. */
  readonly #changes: StoreChanges | undefined;
  readonly #dispatcher: Dispatcher<Job, RunDeadline>;
  readonly #states: JobStateMachine;
  readonly #executor: RunExecutor;
  readonly #pauses: PauseControl;
  readonly #events: EventEmitter<PoolEvents>;
  readonly #publish: PoolEventReporter;
  readonly #threads: ThreadStrategy;

  #nextSeq = 0;
  #running = false;
  #killing: Promise<void> | undefined;
  /** Ends the grace period of a kill, while there is one. */
  #endGrace: (() => void) | undefined;
  /** Told when a run closes, while a grace period waits for the last one. */
  #onRunClosed: (() => void) | undefined;
  /** A shorter wait for aborted runs to settle, asked for by a second kill(). */
  #settleCapMs: number | undefined;
  /** Ends the wait for aborted runs to settle, while there is one. */
  #endSettle: (() => void) | undefined;
  #refreshTimer: TimerHandle | undefined;
  #onShutdownSettled: ((run: Run) => void) | undefined;

  /** @internal Use `orbit.createPool()`. */
  constructor(config: ResolvedPoolConfig, deps: PoolDeps) {
    this.id = config.id;
    this.#config = config;
    this.#clock = deps.clock;
    this.#logger = deps.logger.child({ pool: config.id });
    this.#builtIn = deps.monitoring === undefined ? new MemoryMonitoring() : undefined;
    this.#monitoring = deps.monitoring ?? (this.#builtIn as MemoryMonitoring);
    this.#reportsEveryChange = deps.monitoring !== undefined;
    this.#events = new EventEmitter<PoolEvents>(this.#logger);
    this.#publish = new PoolEventReporter(this.#events, config.id);
    if (this.#logger !== silentLogger) logPoolEvents(this.#events, this.#logger);
    const { store } = config;
    this.#ledger =
      store &&
      new JobLedger(store, config.id, this.#logger, (jobId) => this.#changes?.resync(jobId));

    this.#states = new JobStateMachine(
      {
        changed: (job) => this.#changed(job),
        enqueue: (job) => this.#dispatcher.schedule(job),
        dequeue: (job) => this.#dispatcher.unschedule(job),
        depart: (job) => this.#depart(job),
        checkData: this.#checkData,
        dataSaved: (job) => this.#changed(job),
        pauseTaken: (run) => this.#pauses.taken(run),
        checkLease: this.#checkLease,
        abandon: (run, reason) => this.#executor.abandon(run, reason),
        runEnded: (job, run, outcome, error, nowMs) => {
          this.#ledger?.runEnded(job, run, outcome, error, nowMs);
        },
        statusChanged: (job) => this.#ledger?.statusChanged(job),
      },
      this.#publish,
    );
    this.#dispatcher = new Dispatcher<Job, RunDeadline>(deps.clock, config.maxWorkers, {
      start: (job, nowMs) => this.#start(job, nowMs),
      expire: (deadline) => this.#executor.expire(deadline.run),
      clockJumped: (driftMs, queued) => this.#clockJumped(driftMs, queued),
    });
    this.#threads = new ThreadStrategy({
      clock: deps.clock,
      logger: this.#logger,
      maxThreads: config.threads,
    });
    this.#executor = new RunExecutor({
      clock: deps.clock,
      dispatcher: this.#dispatcher,
      states: this.#states,
      idleTimeoutMs: config.idleTimeoutMs,
      threadStrategy: this.#threads,
      hookRecorded: this.#hookRecorded,
      report: this.#publish,
      abandonedRunSettled: (run) => this.#onShutdownSettled?.(run),
      runClosed: () => this.#onRunClosed?.(),
    });
    this.#claims =
      store &&
      new RunClaims({
        store,
        poolId: config.id,
        clock: deps.clock,
        logger: this.#logger,
        dispatcher: this.#dispatcher,
        mayRun: (job) => this.#isCurrent(job) && job.status === JobStatus.Waiting,
        jobs: () => this.#jobs.values(),
        startRun: (job, nowMs, fence) => this.#startRun(job, nowMs, fence),
        dropRun: (job, fence, nowMs) => this.#dropRun(job, fence, nowMs),
        recoverLost: (job, lost, stored, nowMs) =>
          recoverLostRun(job, lost, stored.status === 'paused', this.#states, nowMs),
        observed: (job, stored) => this.#changes?.observed(job, stored) ?? false,
        runsElsewhere: (job, running) => this.#changes?.runsElsewhere(job, running),
        removedElsewhere: (job) => this.#removedElsewhere(job),
      });
    this.#registrar =
      store &&
      new JobRegistrar({
        store,
        poolId: config.id,
        clock: deps.clock,
        logger: this.#logger,
        states: this.#states,
        isCurrent: (job) => this.#isCurrent(job),
        registered: (job) => this.#registered(job),
      });
    this.#pauses = new PauseControl({
      clock: deps.clock,
      dispatcher: this.#dispatcher,
      states: this.#states,
      hookRecorded: this.#hookRecorded,
      report: this.#publish,
    });
    this.#changes =
      store &&
      new StoreChanges({
        store,
        poolId: config.id,
        clock: deps.clock,
        logger: this.#logger,
        ledger: this.#ledger as JobLedger,
        states: this.#states,
        pauses: this.#pauses,
        job: (jobId) => (this.#killing === undefined ? this.#jobs.get(jobId) : undefined),
        isRunning: () => this.isRunning,
        stop: (job) => this.stopJob(job.id),
        abandon: (run, reason) => this.#executor.abandon(run, reason),
        adopt: (job, dueAtMs, fence) => this.#claims?.adopt(job, dueAtMs, fence) ?? false,
        membersChanged: () => this.#claims?.membersChanged(),
      });
    this.#changes?.start();
  }

  /** Whether `run()` was called and the pool was not killed. */
  get isRunning(): boolean {
    return this.#running && this.#killing === undefined;
  }

  /**
   * Calls `listener` on every `event`. {@link PoolEvents} lists the events and what each
   * carries. A listener that throws or rejects is logged and the pool goes on.
   *
   * @example
   * pool.on('run:failed', ({ jobId, error }) => alert(`${jobId}: ${error.message}`));
   * @throws OrbitError `INVALID_CONFIG` for an unknown event or a listener that is not a
   * function.
   */
  on<K extends PoolEventName>(event: K, listener: PoolEventListener<K>): this {
    this.#events.on(checkedEvent(event), checkedListener(listener));
    return this;
  }

  /** Calls `listener` on the next `event` only. @throws OrbitError `INVALID_CONFIG` */
  once<K extends PoolEventName>(event: K, listener: PoolEventListener<K>): this {
    this.#events.once(checkedEvent(event), checkedListener(listener));
    return this;
  }

  /** Removes a listener added with `on`; one that was never added is ignored. */
  off<K extends PoolEventName>(event: K, listener: PoolEventListener<K>): this {
    this.#events.off(event, listener);
    return this;
  }

  /**
   * Starts scheduling: every job gets its first due instant.
   *
   * @throws OrbitError `POOL_SHUTDOWN` after `kill()`.
   */
  run(): void {
    this.#assertAlive();
    if (this.#running) return;

    this.#running = true;
    this.#dispatcher.start();
    const nowMs = this.#clock.now();
    for (const job of [...this.#jobs.values()]) this.#scheduleIfNew(job, nowMs);
    this.#publish.poolStarted();
  }

  /**
   * Validates a job and adds it; in a running pool it is scheduled at once. With a
   * durable store, a job the store knows goes on where it was.
   *
   * @throws OrbitError `ID_EXISTS`, `POOL_SHUTDOWN`, `STORE_UNAVAILABLE`, or any
   * validation code.
   */
  addJob(config: JobConfig): void {
    this.#assertAlive();
    const resolved = resolveJobConfig(config);
    if (this.#jobs.has(resolved.id)) {
      throw new OrbitError(
        'ID_EXISTS',
        `a job with id '${resolved.id}' is already in pool '${this.id}'`,
        {
          jobId: resolved.id,
        },
      );
    }

    this.#registrar?.checkId(resolved.id);

    const retryWarning = inactiveRetryWarning(resolved.id, config.retry);
    if (retryWarning !== undefined) this.#logger.warn(retryWarning, { jobId: resolved.id });

    const job = new Job(resolved, this.#nextSeq++);
    const registration = this.#registrar?.request(job);
    this.#jobs.set(job.id, job);
    this.#publish.added(job);
    if (this.#registrar === undefined || registration === undefined) this.#registered(job);
    else this.#registrar.receive(job, registration);
  }

  /**
   * Removes a job; a run in progress is stopped first (`onStop` fires).
   *
   * @throws OrbitError `JOB_NOT_FOUND`.
   */
  removeJob(id: string): void {
    const job = this.#job(id);
    if (job.run !== undefined) this.stopJob(id);

    this.#ledger?.removed(job.id);
    this.#leave(job);
  }

  /** The job leaves this pool, with `job:removed`; the store is told elsewhere, if at all. */
  #leave(job: Job): void {
    this.#dispatcher.unschedule(job);
    this.#forget(job);
    this.#builtIn?.delete(job.id);
    this.#publish.removed(job);
  }

  /**
   * A claim found the job gone from a store processes share: another process removed it.
   * It leaves this pool too, without a word to the store, which may hold a job added again
   * under its id since.
   */
  #removedElsewhere(job: Job): void {
    if (!this.#isCurrent(job) || job.run !== undefined) return;
    this.#logger.info('another process removed the job from the store; it leaves this pool', {
      jobId: job.id,
    });
    this.#leave(job);
  }

  /**
   * Asks a running job to pause at its next `checkpoint()`. The status is `paused` at
   * once; a pause the job does not take within `timeout` is withdrawn. On a store that
   * processes share, a run held by another process is asked through the store: the call
   * returns at once, and the status shows once that process took the request.
   *
   * @throws OrbitError `JOB_NOT_FOUND`, `JOB_ALREADY_PAUSED`, `JOB_NOT_RUNNING`,
   * `INVALID_DURATION`.
   */
  pauseJob(id: string, timeout: Duration = 1000): void {
    const timeoutMs = parseDuration(timeout, 'pauseJob timeout');
    const job = this.#job(id);
    // A run in another process sharing the store is asked through it.
    if (this.#changes?.pauseElsewhere(job, timeoutMs) === true) return;
    this.#pauses.pause(job, timeoutMs);
  }

  /**
   * A paused job goes on; a stopped job goes back to its schedule, and so does a job a
   * store kept paused whose run was lost with its process. `onResume` fires. On a store
   * that processes share, a paused run held by another process is resumed there.
   *
   * @throws OrbitError `JOB_NOT_FOUND`, `JOB_NOT_PAUSED_OR_STOPPED`.
   */
  resumeJob(id: string): void {
    const job = this.#job(id);
    if (this.#changes?.resumeElsewhere(job) === true) return;
    if (job.status === JobStatus.Paused && job.run !== undefined) {
      this.#pauses.resume(job);
      return;
    }
    if (job.status !== JobStatus.Stopped && job.status !== JobStatus.Paused) {
      throw new OrbitError(
        'JOB_NOT_PAUSED_OR_STOPPED',
        `job '${id}' is ${job.status}, not paused or stopped`,
        {
          jobId: id,
        },
      );
    }

    this.#states.resumeStopped(job, this.#running ? this.#clock.now() : undefined);
    void runHook(this.#detachedControl(job), 'onResume', undefined, this.#hookRecorded);
  }

  /**
   * Stops a job: a run in progress is aborted with `JOB_STOPPED` (not a failure, no
   * retry), and the job runs no more until resumed. Stopping a stopped job does nothing.
   * On a store that processes share, the job stops in every process, and a run held by
   * another process is aborted there.
   *
   * @throws OrbitError `JOB_NOT_FOUND`.
   */
  stopJob(id: string): void {
    const job = this.#job(id);
    if (job.status === JobStatus.Stopped) return;

    const reason = new OrbitError('JOB_STOPPED', `job '${id}' was stopped`, { jobId: id });
    const run = job.run;
    const cutInFn = run?.phase === 'fn';
    this.#states.stop(job, reason, this.#clock.now());

    void this.#stopHooks(run ?? this.#detachedControl(job, reason), reason, cutInFn);
  }

  /**
   * Runs a waiting job now rather than at its next due instant: it falls due at once and
   * starts as soon as a worker slot is free. Its schedule goes on from this run, as from
   * any other: an interval job's grid now counts from this run, and a cron job runs next
   * at its first match after this run ends.
   *
   * @example
   * pool.runNow('nightly-report'); // the report runs now, and again tomorrow night
   * @throws OrbitError `JOB_NOT_FOUND`; `JOB_ALREADY_RUNNING` while a run is in progress
   * (running or paused); `JOB_NOT_RUNNABLE` for a stopped job, a job whose `startAt` is
   * still ahead, or a pool that is not running; `POOL_SHUTDOWN` after `kill()`.
   */
  runNow(id: string): void {
    this.#assertAlive();
    const job = this.#job(id);
    const nowMs = this.#clock.now();
    checkRunnableNow(job, nowMs, this.isRunning);
    this.#states.dueNow(job, nowMs);
  }

  /**
   * The state of every job: from the built-in monitoring, live; from a custom
   * monitoring, whatever its `getMetrics()` returns.
   *
   * @throws OrbitError `MONITORING_FAILED` when a custom monitoring's `getMetrics()` throws.
   */
  getMetrics(): Record<string, JobState> {
    if (this.#builtIn === undefined) return readMetrics(this.#monitoring);

    const nowMs = this.#clock.now();
    const states = this.#builtIn.getMetrics();
    for (const job of this.#jobs.values()) {
      // Defined, not assigned: a job named `__proto__` is a key like any other.
      Object.defineProperty(states, job.id, {
        value: snapshotJob(job, nowMs),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return states;
  }

  /**
   * Shuts the pool down for good: starts no more runs, lets runs in progress finish for
   * up to `grace`, aborts the rest with `POOL_SHUTDOWN`, waits up to `timeout` for them to
   * settle, records every job as `stopped`, removes the jobs and terminates the pool's
   * worker threads.
   *
   * Rejects, with the pool untouched, with OrbitError `INVALID_DURATION` for a bad `timeout`
   * or `grace`, and `INVALID_CONFIG` for options that are not an object or an option it
   * does not know.
   */
  kill(options: KillOptions = {}): Promise<void> {
    let timeoutMs: number | undefined;
    let graceMs: number;
    try {
      if (!isPlainObject(options)) {
        throw invalidConfig('kill() options', 'an object such as { timeout: 5000 }', options);
      }
      refuseUnknownKeys(options, KILL_OPTIONS, 'kill()');
      timeoutMs =
        options.timeout === undefined ? undefined : parseDuration(options.timeout, 'kill timeout');
      graceMs = parseDuration(options.grace ?? 0, 'kill grace');
    } catch (error) {
      // Refused before anything happened: the pool goes on as it was.
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
    if (this.#killing !== undefined) {
      this.#endGrace?.();
      if (timeoutMs !== undefined) this.#capSettle(timeoutMs);
      return this.#killing;
    }
    this.#killing = this.#shutdown(graceMs, timeoutMs ?? 30_000);
    return this.#killing;
  }

  #assertAlive(): void {
    if (this.#killing !== undefined) {
      throw new OrbitError(
        'POOL_SHUTDOWN',
        `pool '${this.id}' was killed and cannot be used again`,
      );
    }
  }

  #job(id: string): Job {
    const job = typeof id === 'string' ? this.#jobs.get(id) : undefined;
    if (job === undefined) {
      const jobId = typeof id === 'string' ? id : undefined;
      throw new OrbitError('JOB_NOT_FOUND', `no job with id ${shown(id)} in pool '${this.id}'`, {
        jobId,
      });
    }
    return job;
  }

  /**
   * Gives a waiting job that is not queued its due instant (kept by the store, or its
   * first) if the pool runs: a listener may have removed or stopped it, or killed the
   * pool, in the meantime, and a store may not have answered for it yet.
   */
  #scheduleIfNew(job: Job, nowMs: number): void {
    if (!this.isRunning || job.registering || job.status !== JobStatus.Waiting) return;
    if (this.#jobs.get(job.id) !== job || this.#dispatcher.isScheduled(job)) return;

    if (job.restored) this.#states.scheduleRestored(job, nowMs);
    else if (!job.scheduled) this.#states.scheduleFirst(job, nowMs);
    this.#claims?.placed(job);
  }

  /** The job has the state its store kept (if any): report it, schedule it. */
  #registered(job: Job): void {
    this.#changed(job);
    this.#scheduleIfNew(job, this.#clock.now());
  }

  #isCurrent(job: Job): boolean {
    return this.#killing === undefined && !job.left;
  }

  /** The dispatcher's `start`: a due job runs once its store grants the tick. */
  #start(job: Job, nowMs: number): boolean {
    const { endAtMs } = job.config;
    if (endAtMs !== undefined && nowMs > endAtMs) {
      // The wall clock passed the window's end while the job waited.
      this.#states.endUnrun(job);
      return false;
    }
    // During a kill's grace period due jobs find no run: the pool is on its way out.
    if (this.#killing !== undefined) return false;
    if (this.#claims !== undefined) {
      this.#ledger?.resendEnd(job.id);
      return this.#claims.claim(job, nowMs);
    }

    this.#startRun(job, nowMs, job.fence + 1);
    return true;
  }

  #startRun(job: Job, nowMs: number, fence: number): void {
    this.#executor.start(job, nowMs, fence);
    if (this.#reportsEveryChange) this.#armRefresh();
  }

  /** A claim won too late (the job stopped or left, or the pool shut down) ends unrun. */
  #dropRun(job: Job, fence: number, nowMs: number): void {
    const reason = new OrbitError('JOB_STOPPED', `job '${job.id}' no longer runs here`, {
      jobId: job.id,
    });
    this.#ledger?.runAborted(job, { scheduledAtMs: job.dueAt, fence }, reason, nowMs);
  }

  async #shutdown(graceMs: number, timeoutMs: number): Promise<void> {
    // Without a grace period the runs are aborted before kill() returns.
    if (graceMs > 0) await this.#graceful(graceMs);
    this.#dispatcher.stop();
    this.#disarmRefresh();
    this.#claims?.stop();
    this.#registrar?.stop();
    this.#changes?.stop();

    const reasons = withoutStacks(() => {
      const byJob = new Map<Job, OrbitError>();
      for (const job of this.#jobs.values()) byJob.set(job, this.#shutdownReason(job));
      return byJob;
    });

    const live = [...this.#executor.liveRuns];
    const pending = new Set(live.filter((run) => run.fnPending));
    const closing: Promise<unknown>[] = [];
    for (const run of live) {
      const reason = reasons.get(run.job) ?? this.#shutdownReason(run.job);
      const cutInFn = run.phase === 'fn';
      this.#ledger?.runAborted(run.job, run, reason, this.#clock.now());
      this.#executor.abandon(run, reason);
      // A run already in its closing hooks calls `finally` itself.
      if (cutInFn) closing.push(runHook(run, 'finally', reason, this.#hookRecorded));
    }
    // A claim still on its way may be won: its run is dropped, and that end is written.
    if (this.#claims !== undefined) closing.push(this.#claims.settled());
    await this.#settled(pending, closing, timeoutMs);
    await this.#threads.close();

    const nowMs = this.#clock.now();
    for (const job of [...this.#jobs.values()]) {
      this.#states.shutdown(job, reasons.get(job) ?? this.#shutdownReason(job), nowMs);
      this.#keepFinalState(job);
      this.#forget(job);
    }
    await this.#ledger?.settled();
    this.#publish.poolKilled();
  }

  /**
   * Resolves when no run is in progress, after `graceMs`, or on a second `kill()`. The
   * dispatcher keeps running meanwhile, so run timeouts still apply.
   */
  #graceful(graceMs: number): Promise<void> {
    if (this.#executor.liveRuns.size === 0) return Promise.resolve();

    return new Promise<void>((resolve) => {
      const over = () => {
        this.#clock.clearTimeout(timer);
        this.#endGrace = undefined;
        this.#onRunClosed = undefined;
        resolve();
      };
      const timer = this.#clock.setTimeout(over, graceMs);
      this.#endGrace = over;
      this.#onRunClosed = () => {
        if (this.#executor.liveRuns.size === 0) over();
      };
    });
  }

  #shutdownReason(job: Job): OrbitError {
    return new OrbitError('POOL_SHUTDOWN', `pool '${this.id}' was killed`, { jobId: job.id });
  }

  /**
   * Resolves when every run in `pending` has settled and every `closing` hook is done,
   * or after `timeoutMs`, whichever comes first.
   */
  #settled(pending: Set<Run>, closing: Promise<unknown>[], timeoutMs: number): Promise<void> {
    if (pending.size === 0 && closing.length === 0) return Promise.resolve();

    const runsSettled = new Promise<void>((resolve) => {
      if (pending.size === 0) resolve();
      this.#onShutdownSettled = (run) => {
        pending.delete(run);
        if (pending.size === 0) resolve();
      };
    });
    let timer: TimerHandle | undefined;
    const timedOut = new Promise<void>((resolve) => {
      timer = this.#clock.setTimeout(resolve, Math.min(timeoutMs, this.#settleCapMs ?? timeoutMs));
      this.#endSettle = resolve;
    });

    const allDone = Promise.all([runsSettled, ...closing]).then(() => undefined);
    return Promise.race([allDone, timedOut]).finally(() => {
      if (timer !== undefined) this.#clock.clearTimeout(timer);
      this.#endSettle = undefined;
    });
  }

  /** A second kill() asked to wait at most `capMs` for aborted runs to settle. */
  #capSettle(capMs: number): void {
    this.#settleCapMs = Math.min(capMs, this.#settleCapMs ?? capMs);
    const end = this.#endSettle;
    if (end === undefined) return;
    if (capMs === 0) end();
    else this.#clock.setTimeout(end, capMs);
  }

  /** `onStop`, then `finally` for a run cut short before its closing hooks. */
  async #stopHooks(control: Run, reason: OrbitError, cutInFn: boolean): Promise<void> {
    await runHook(control, 'onStop', reason, this.#hookRecorded);
    if (cutInFn) await runHook(control, 'finally', reason, this.#hookRecorded);
  }

  /** The job leaves the pool's map; a job added later under its id is another one. */
  #forget(job: Job): void {
    job.left = true;
    this.#jobs.delete(job.id);
  }

  #depart(job: Job): void {
    this.#registrar?.departed(job.id);
    this.#keepFinalState(job);
    this.#forget(job);
  }

  /** A job leaving the pool keeps its last state in the built-in monitoring. */
  #keepFinalState(job: Job): void {
    if (!this.#reportsEveryChange)
      this.#monitoring.saveMetrics(snapshotJob(job, this.#clock.now()));
  }

  #changed(job: Job): void {
    if (this.#reportsEveryChange) this.#report(job);
  }

  #report(job: Job): void {
    try {
      const result: unknown = this.#monitoring.saveMetrics(snapshotJob(job, this.#clock.now()));
      // A monitoring may be async despite its type: its rejections are contained too.
      if (isThenable(result)) Promise.resolve(result).catch(this.#monitoringFailed(job));
    } catch (error) {
      this.#monitoringFailed(job)(error);
    }
  }

  #monitoringFailed(job: Job): (error: unknown) => void {
    return (error) => {
      this.#logger.warn('monitoring.saveMetrics failed; the pool goes on', {
        jobId: job.id,
        error,
      });
    };
  }

  #clockJumped(driftMs: number, queued: readonly Job[]): void {
    this.#logger.warn('the wall clock jumped', { driftMs });
    const nowMs = this.#clock.now();
    for (const job of queued) {
      const dueBeforeMs = job.dueAt;
      job.dueAt = dueAfterJump(job, driftMs, nowMs);
      // A store grants no tick but the position it keeps: it moves with the job.
      if (job.dueAt !== dueBeforeMs) this.#ledger?.statusChanged(job);
    }
  }

  /** While runs are live, a custom monitoring sees their `executionTime` grow. */
  #armRefresh(): void {
    if (this.#refreshTimer !== undefined) return;
    this.#refreshTimer = this.#clock.setTimeout(this.#refresh, this.#config.checkIntervalMs);
  }

  #disarmRefresh(): void {
    if (this.#refreshTimer === undefined) return;
    this.#clock.clearTimeout(this.#refreshTimer);
    this.#refreshTimer = undefined;
  }

  /** What a run saves must be data the pool's store can keep (`Store.checkData`). */
  readonly #checkData = (data: JobData): void => this.#config.store?.checkData?.(data);

  readonly #checkLease = (run: Run): void =>
    this.#config.store?.checkLease?.(this.id, run.jobId, run.fence);

  readonly #hookRecorded = (run: Run, hook: HookName, error: OrbitError, ignored: boolean) => {
    this.#changed(run.job);
    this.#publish.hookFailed(run, hook, error, ignored);
  };

  /** A control for hooks that fire outside a run (`onStop` of a waiting job, `onResume`). */
  #detachedControl(job: Job, abortedBy?: OrbitError): Run {
    const host = {
      checkData: this.#checkData,
      dataSaved: (changed: Job) => this.#changed(changed),
      pauseTaken: () => undefined,
      checkLease: () => undefined,
    };
    const control = new Run(job, job.dueAt, host);
    control.phase = 'done';
    if (abortedBy !== undefined) control.abort(abortedBy);
    return control;
  }

  readonly #refresh = (): void => {
    this.#refreshTimer = undefined;
    const live = this.#executor.liveRuns;
    for (const run of live) this.#report(run.job);
    if (live.size > 0) this.#armRefresh();
  };
}

const EVENT_NAMES: ReadonlySet<string> = new Set(POOL_EVENT_NAMES);

function checkedEvent<K extends PoolEventName>(event: K): K {
  if (!EVENT_NAMES.has(event)) {
    throw invalidConfig('event', `one of ${POOL_EVENT_NAMES.join(', ')}`, event);
  }
  return event;
}

function checkedListener<T>(listener: T): T {
  if (typeof listener !== 'function') throw invalidConfig('listener', 'a function', listener);
  return listener;
}

/**
 * Runs `build` with stack capture off. A kill makes one error per job, and each stack
 * would show only the kill itself: capturing them cost a second for 100,000 jobs.
 */
function withoutStacks<T>(build: () => T): T {
  const { stackTraceLimit } = Error;
  Error.stackTraceLimit = 0;
  try {
    return build();
  } finally {
    Error.stackTraceLimit = stackTraceLimit;
  }
}

/** Interval jobs keep their cadence in elapsed time; cron jobs keep to the wall clock. */
function dueAfterJump(job: Job, driftMs: number, nowMs: number): number {
  const { schedule, startAtMs } = job.config;
  if (schedule.kind === 'interval') {
    // A window's start is a wall-clock instant: no shift moves a run before it.
    return Math.max(job.dueAt + driftMs, startAtMs ?? Number.NEGATIVE_INFINITY);
  }

  // The next match on the new wall clock, but never an instant already served.
  const servedMs = Number.isNaN(job.lastScheduledMs) ? nowMs : job.lastScheduledMs;
  const afterMs = Math.max(nowMs, servedMs, (startAtMs ?? 0) - 1);
  return schedule.cron.next(afterMs) ?? job.dueAt;
}
