import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { OrbitError } from '../../errors/orbit-error.js';
import { checkListJobsFilter, type ListedJob, type ListJobsFilter } from '../listed-job.js';
import { silentLogger, type Logger } from '../../logging/logger.js';
import { nextDue } from '../../schedule/schedule.js';
import { systemClock, type Clock } from '../../time/clock.js';
import { ControlListener } from './control-listener.js';
import {
  liftPause,
  readControlState,
  requestPause,
  requestStop,
  restartStopped,
  withdrawPause,
  type ControlMessage,
} from './control.js';
import { syncDefinitions, type SyncedJob } from './definition-sync.js';
import { purgeHistory } from './history.js';
import type { StoredJobDefinition } from './job-definition.js';
import { listJobs } from './list-jobs.js';
import { migrate } from './migrate.js';
import { PoolCoordinator, type CoordinatorHandlers } from './pool-coordinator.js';
import {
  resolvePostgresOptions,
  type PostgresStoreOptions,
  type ResolvedPostgresOptions,
} from './postgres-options.js';
import { RepeatingTask } from './repeating-task.js';
import { StoreSeam } from './store-seam.js';
import { storeCall, storeUnavailable } from './store-unavailable.js';
import type {
  ClaimResult,
  JobDefinition,
  Registration,
  RunClaim,
  RunCompletion,
  RunRecord,
  StatusChange,
  Store,
  StoredJob,
} from '../store.js';

/** How often a resume re-reads a stopped job whose row kept changing under it. */
const RESTART_ATTEMPTS = 5;

/** How often a process purges old run records. */
const PURGE_INTERVAL_MS = 10 * 60_000;

/** What a store may be handed by the pools that use it. */
export interface StoreDeps {
  clock?: Clock;
  logger?: Logger;
}

/**
 * The PostgreSQL store: jobs of pools that share an id, kept in one database and run by
 * many processes, each tick on exactly one of them. One store serves every pool of a
 * process; it holds a small connection pool and one listening connection.
 *
 * As a pool's `store` it keeps the store contract (`register`, `claim`, `complete`, ...).
 * `attach` runs the cluster side of a pool instead: claims decided by the database's
 * clock, leases with heartbeats, a reaper, and commands over `LISTEN`/`NOTIFY`.
 *
 * @example
 * const store = new PostgresStore({ connectionString: process.env.DATABASE_URL, schema: 'orbit' });
 * orbit.createPool({ id: 'reports', store });
 */
export class PostgresStore implements Store {
  /** The jobs outlive the process: a pool on this store needs a stable `id`. */
  readonly durable = true;
  /** This process's name in leases and run records: host, pid and a random part. */
  readonly owner = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  readonly options: ResolvedPostgresOptions;

  #db: pg.Pool | undefined;
  #opening: Promise<pg.Pool> | undefined;
  #listener: ControlListener | undefined;
  #purge: RepeatingTask | undefined;
  #clock: Clock = systemClock;
  #logger: Logger = silentLogger;
  readonly #coordinators = new Map<string, PoolCoordinator>();
  readonly #seam: StoreSeam;
  #seamHeartbeat: RepeatingTask | undefined;

  /** @throws OrbitError `INVALID_CONFIG` or `INVALID_DURATION` for bad options. */
  constructor(options: PostgresStoreOptions) {
    this.options = resolvePostgresOptions(options);
    this.#seam = new StoreSeam(() => this.open(), this.options, this.owner);
  }

  /** Store contract: upserts a job's definition; see `Store.register`. */
  register(poolId: string, definition: JobDefinition): Promise<Registration> {
    return this.#seam.register(poolId, definition);
  }

  /** Store contract: claims one tick; see `Store.claim`. */
  claim(poolId: string, claim: RunClaim): Promise<ClaimResult> {
    return this.#seam.claim(poolId, claim);
  }

  /** Store contract: records a run's end, fenced; see `Store.complete`. */
  complete(poolId: string, completion: RunCompletion): Promise<boolean> {
    return this.#seam.complete(poolId, completion);
  }

  /** Store contract: a status change outside a run's end; see `Store.setStatus`. */
  setStatus(poolId: string, change: StatusChange): Promise<void> {
    return this.#seam.setStatus(poolId, change);
  }

  /** Store contract: forgets a job and its history. */
  remove(poolId: string, jobId: string): Promise<void> {
    return this.#seam.remove(poolId, jobId);
  }

  /** Store contract: a job's stored state. */
  job(poolId: string, jobId: string): Promise<StoredJob | undefined> {
    return this.#seam.job(poolId, jobId);
  }

  /** Store contract: a job's latest runs, newest first, the live one included. */
  history(poolId: string, jobId: string, limit?: number): Promise<RunRecord[]> {
    return this.#seam.history(poolId, jobId, limit);
  }

  /**
   * Every job in the store, of every process that shares it, ordered by pool and job id:
   * what `orbit list` prints and what the dashboard shows of pools run elsewhere.
   *
   * @throws OrbitError `INVALID_CONFIG` for a bad filter, `STORE_UNAVAILABLE` when the
   * database cannot be reached.
   */
  async listJobs(filter?: ListJobsFilter): Promise<ListedJob[]> {
    const checked = checkListJobsFilter(filter);
    const db = await this.open();
    return storeCall('listing jobs', () => listJobs(db, this.options.tables, checked));
  }

  /**
   * Connects, brings the schema up to date (safe from many processes at once) and starts
   * listening for control commands. Called by the first pool that uses the store; calling
   * it again returns the same promise.
   *
   * @throws OrbitError `STORE_UNAVAILABLE` when the database cannot be reached.
   */
  open(deps: StoreDeps = {}): Promise<pg.Pool> {
    this.#opening ??= this.#open(deps).catch((error: unknown) => {
      this.#opening = undefined;
      throw storeUnavailable('opening the store', error);
    });
    return this.#opening;
  }

  /** Writes a pool's job definitions; see {@link syncDefinitions}. */
  async sync(poolId: string, definitions: readonly StoredJobDefinition[]): Promise<SyncedJob[]> {
    const db = await this.open();
    return storeCall('writing job definitions', async () => {
      const { rows } = await db.query<{ now: Date }>('SELECT now()');
      const dbNowMs = rows[0]?.now.getTime() ?? Date.now();
      return syncDefinitions(db, this.options.tables, poolId, definitions, dbNowMs);
    });
  }

  /** Starts the cluster side of a pool in this process. */
  async attach(poolId: string, handlers: CoordinatorHandlers): Promise<PoolCoordinator> {
    if (this.#coordinators.has(poolId)) {
      throw new OrbitError('ID_EXISTS', `pool '${poolId}' already uses this store in this process`);
    }
    const db = await this.open();
    const coordinator = new PoolCoordinator(
      poolId,
      { db, options: this.options, owner: this.owner, clock: this.#clock, logger: this.#logger },
      handlers,
    );
    this.#coordinators.set(poolId, coordinator);
    coordinator.start();
    return coordinator;
  }

  /** Stops a pool's cluster side; its queued completions are written first. */
  async detach(poolId: string): Promise<void> {
    const coordinator = this.#coordinators.get(poolId);
    this.#coordinators.delete(poolId);
    await coordinator?.stop();
  }

  /**
   * Asks the run of a job, in whichever process holds it, to pause at a checkpoint.
   *
   * @throws OrbitError `JOB_NOT_FOUND`, `JOB_NOT_RUNNING`, `JOB_ALREADY_PAUSED`,
   * `STORE_UNAVAILABLE`.
   */
  async pauseJob(poolId: string, jobId: string, timeoutMs: number): Promise<ControlMessage> {
    const db = await this.open();
    return this.#command('pausing a job', () =>
      requestPause(db, this.options.tables, poolId, jobId, timeoutMs),
    );
  }

  /**
   * Resumes a job cluster-wide: a paused run goes on; a stopped job goes back on its
   * schedule (`definition` gives its next due instant).
   *
   * @throws OrbitError `JOB_NOT_FOUND`, `JOB_NOT_PAUSED_OR_STOPPED`, `STORE_UNAVAILABLE`.
   */
  async resumeJob(
    poolId: string,
    definition: StoredJobDefinition,
  ): Promise<ControlMessage | undefined> {
    const db = await this.open();
    const { tables } = this.options;
    const jobId = definition.id;
    return this.#command('resuming a job', async () => {
      const lifted = await liftPause(db, tables, poolId, jobId);
      if (lifted !== undefined) return lifted;
      return this.#restart(db, poolId, definition);
    });
  }

  /** Puts a stopped job back on its schedule; the row may move under us, so try again. */
  async #restart(
    db: pg.Pool,
    poolId: string,
    definition: StoredJobDefinition,
  ): Promise<ControlMessage | undefined> {
    const { tables } = this.options;
    const jobId = definition.id;
    for (let attempt = 0; ; attempt++) {
      const state = await readControlState(db, tables, poolId, jobId);
      if (state.status !== 'stopped') {
        throw new OrbitError(
          'JOB_NOT_PAUSED_OR_STOPPED',
          `job '${jobId}' is not paused or stopped`,
          { jobId },
        );
      }
      const anchorMs = state.dueMs ?? state.runTickMs ?? state.dbNowMs;
      const dueMs =
        anchorMs > state.dbNowMs ? anchorMs : nextDue(definition.schedule, anchorMs, state.dbNowMs);
      const sent = await restartStopped(db, tables, poolId, jobId, state.version, dueMs);
      if (sent !== undefined || attempt === RESTART_ATTEMPTS) return sent;
    }
  }

  /**
   * Stops a job cluster-wide; its run, wherever it is, is aborted.
   *
   * @throws OrbitError `JOB_NOT_FOUND`, `STORE_UNAVAILABLE`.
   */
  async stopJob(poolId: string, jobId: string): Promise<ControlMessage | undefined> {
    const db = await this.open();
    return this.#command('stopping a job', () =>
      requestStop(db, this.options.tables, poolId, jobId),
    );
  }

  /** A run here gave up a pause it did not take in time. */
  async withdrawPause(poolId: string, jobId: string, fence: number): Promise<void> {
    const db = await this.open();
    await storeCall('withdrawing a pause', () =>
      withdrawPause(db, this.options.tables, poolId, jobId, fence, this.owner),
    );
  }

  /** Stops every pool's loops, the listener and the connections. */
  async close(): Promise<void> {
    const pools = [...this.#coordinators.keys()];
    await Promise.all(pools.map((poolId) => this.detach(poolId)));
    await this.#purge?.stop();
    await this.#seamHeartbeat?.stop();
    await this.#listener?.close();
    const db = this.#db;
    this.#db = undefined;
    this.#opening = undefined;
    await db?.end();
  }

  async #open(deps: StoreDeps): Promise<pg.Pool> {
    this.#clock = deps.clock ?? this.#clock;
    this.#logger = deps.logger ?? this.#logger;
    const { connection, tables, maxConnections, leaseTtlMs } = this.options;

    const db = new pg.Pool({
      // A process frozen inside a claim must not hold its job rows for long.
      idle_in_transaction_session_timeout: Math.min(Math.max(leaseTtlMs / 2, 1_000), 10_000),
      ...connection,
      max: maxConnections,
      keepAlive: true,
    });
    // An idle connection that breaks must not become an unhandled 'error' event.
    db.on('error', (error) => {
      this.#logger.warn('an idle PostgreSQL connection failed', {
        error: storeUnavailable('holding a connection', error),
      });
    });
    try {
      await migrate(db, tables);
    } catch (error) {
      await db.end().catch(() => undefined);
      throw error;
    }

    this.#db = db;
    const listenerDeps = { clock: this.#clock, logger: this.#logger };
    this.#listener = new ControlListener(connection, tables, listenerDeps, {
      message: (message) => this.#deliver(message),
      connected: () => this.#resync(),
    });
    await this.#listener.open();
    this.#startPurge(db);
    this.#seamHeartbeat = new RepeatingTask(
      this.#clock,
      this.options.heartbeatIntervalMs,
      () => this.#seam.renew(),
      (error) => this.#logger.warn('renewing leases failed', { error }),
    );
    this.#seamHeartbeat.start();
    return db;
  }

  #startPurge(db: pg.Pool): void {
    this.#purge = new RepeatingTask(
      this.#clock,
      PURGE_INTERVAL_MS,
      async () => {
        await purgeHistory(db, this.options.tables, this.options.historyRetentionMs);
      },
      (error) => this.#logger.warn('purging run history failed', { error }),
    );
    this.#purge.start(Math.random() * PURGE_INTERVAL_MS);
  }

  #deliver(message: ControlMessage): void {
    const coordinator = this.#coordinators.get(message.pool);
    if (coordinator === undefined) return;
    coordinator.observe(message);
  }

  /** After a reconnect, notifications may have been missed: every pool polls again. */
  #resync(): void {
    for (const coordinator of this.#coordinators.values()) coordinator.resync();
  }

  async #command<T>(action: string, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (error instanceof OrbitError && error.code !== 'STORE_UNAVAILABLE') throw error;
      throw storeUnavailable(action, error);
    }
  }
}
