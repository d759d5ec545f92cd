import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { checkListJobsFilter, type ListedJob, type ListJobsFilter } from '../listed-job.js';
import { silentLogger, type Logger } from '../../logging/logger.js';
import { systemClock, type Clock } from '../../time/clock.js';
import { StoreWatchers } from '../store-watchers.js';
import { checkHistoryCount } from '../memory-store.js';
import { checkAskedIds, checkStorableData, checkStorableId } from '../storable-id.js';
import type { JobData } from '../../job/job-config.js';
import { ControlListener } from './control-listener.js';
import { purgeHistory } from './history.js';
import { listJobs } from './list-jobs.js';
import { Members } from './members.js';
import { migrate } from './migrate.js';
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
  OverdueJobs,
  Registration,
  RunClaim,
  RunCommand,
  RunCompletion,
  RunRecord,
  StatusChange,
  Store,
  StoredJob,
  StoreWatcher,
} from '../store.js';

/** How often a process purges old run records. */
const PURGE_INTERVAL_MS = 10 * 60_000;

/** What a store may be handed by the pools that use it. */
export interface StoreDeps {
  clock?: Clock;
  logger?: Logger;
}

/** The longest job or pool id the store keeps, in UTF-8 bytes. */
const MAX_ID_BYTES = 1_000;

/**
 * The PostgreSQL store: jobs of pools that share an id, kept in one database and run by
 * many processes, each tick on exactly one of them. One store serves every pool of a
 * process; it holds a small connection pool and one listening connection.
 *
 * Claims are decided by the database's clock; a claimed run holds a lease this process
 * renews; a run whose process died is taken over by the next claim of its job anywhere
 * and fails with `RUN_LOST`; status changes reach every process over `LISTEN`/`NOTIFY`,
 * and the running one through its heartbeats as well.
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
  /** Set by `close()`: the store never connects again. */
  #closed = false;
  #listener: ControlListener | undefined;
  #purge: RepeatingTask | undefined;
  #heartbeat: RepeatingTask | undefined;
  #clock: Clock = systemClock;
  #logger: Logger = silentLogger;
  readonly #watchers = new StoreWatchers();
  readonly #seam: StoreSeam;
  readonly #members: Members;
  /** Member-list writes under way, awaited before the connections close. */
  readonly #memberWrites = new Set<Promise<void>>();

  /** @throws OrbitError `INVALID_CONFIG` or `INVALID_DURATION` for bad options. */
  constructor(options: PostgresStoreOptions) {
    this.options = resolvePostgresOptions(options);
    this.#seam = new StoreSeam({
      db: () => this.open(),
      options: this.options,
      owner: this.owner,
      clock: () => this.#clock,
      watchers: this.#watchers,
    });
    this.#members = new Members({
      db: () => this.open(),
      tables: this.options.tables,
      owner: this.owner,
      ttlMs: this.options.leaseTtlMs,
      changed: (poolId) => this.#watchers.membersChanged(poolId),
    });
  }

  /** Store contract: upserts a job's definition; see `Store.register`. */
  register(poolId: string, definition: JobDefinition): Promise<Registration> {
    return this.#seam.register(poolId, definition);
  }

  /** Store contract: claims one tick, or takes over a lost run; see `Store.claim`. */
  claim(poolId: string, claim: RunClaim): Promise<ClaimResult> {
    return this.#seam.claim(poolId, claim);
  }

  /** Store contract: records a run's end, fenced; see `Store.complete`. */
  complete(poolId: string, completion: RunCompletion): Promise<boolean> {
    return this.#seam.complete(poolId, completion);
  }

  /** Store contract: a status change outside a run's end, told to every process. */
  setStatus(poolId: string, change: StatusChange): Promise<void> {
    return this.#seam.setStatus(poolId, change);
  }

  /** Store contract: pauses or resumes a job's run in whichever process holds it. */
  command(poolId: string, command: RunCommand): Promise<boolean> {
    return this.#seam.command(poolId, command);
  }

  /**
   * Store contract: status changes from every process, and runs here that lost their
   * lease. The first watcher of a pool makes this process one of the pool's members; the
   * last one to stop takes it out.
   */
  watch(poolId: string, watcher: StoreWatcher): () => void {
    const first = !this.#watchers.has(poolId);
    const unwatch = this.#watchers.add(poolId, watcher);
    if (first) this.#memberWrite('joining a pool', () => this.#members.join(poolId));
    return () => {
      unwatch();
      if (!this.#watchers.has(poolId)) {
        this.#memberWrite('leaving a pool', () => this.#members.leave(poolId));
      }
    };
  }

  /**
   * Refuses a job or pool id PostgreSQL would not keep as given: a lone surrogate, a NUL
   * character, or more than 1,000 bytes (an index key holds both, up to about 2,700).
   */
  checkId(id: string, of: 'job' | 'pool'): void {
    checkStorableId(id, of, 'PostgresStore', { maxBytes: MAX_ID_BYTES, nul: false });
  }

  /** Ids a pool may ask about; one this store could not keep is refused as `addJob` does. */
  #checkAsked(poolId: string, jobId: string): void {
    checkAskedIds(poolId, jobId);
    this.checkId(poolId, 'pool');
    this.checkId(jobId, 'job');
  }

  /**
   * Refuses job data a `jsonb` column would not take: data JSON cannot write (a cycle, a
   * BigInt), or a key or string with a NUL character or half of a UTF-16 pair alone. Kept,
   * such data would fail the end of every run of the job, which would then never end.
   */
  checkData(data: JobData): void {
    checkStorableData(data, 'PostgresStore', { nul: false, loneSurrogates: false });
  }

  /**
   * Store contract: how long past a tick of the job this process waits before claiming
   * it: 0 when it is the job's first choice among the pool's live processes, `STANDBY_MS`
   * (2 s) otherwise (see `members.ts`).
   */
  standby(poolId: string, jobId: string): number {
    return this.#members.standbyMs(poolId, jobId);
  }

  /**
   * Store contract: the pool's jobs whose tick due by `dueBy` nobody claimed, or whose
   * run's lease ran out by the database's clock; one statement for the whole pool.
   */
  overdue(poolId: string, dueBy: number): Promise<OverdueJobs> {
    return this.#seam.overdue(poolId, dueBy);
  }

  /**
   * Store contract: gives up now the lease of a run here that went unconfirmed for nearly
   * `leaseTtl` (the process was frozen), so that its job finds its signal aborted.
   */
  checkLease(poolId: string, jobId: string, fence: number): void {
    this.#seam.checkLease(poolId, jobId, fence);
  }

  /** Store contract: forgets a job and its history. */
  remove(poolId: string, jobId: string): Promise<void> {
    return this.#seam.remove(poolId, jobId);
  }

  /** Store contract: a job's stored state. */
  async job(poolId: string, jobId: string): Promise<StoredJob | undefined> {
    this.#checkAsked(poolId, jobId);
    return this.#seam.job(poolId, jobId);
  }

  /** Store contract: a job's latest runs, newest first, the live one included. */
  async history(poolId: string, jobId: string, limit?: number): Promise<RunRecord[]> {
    this.#checkAsked(poolId, jobId);
    const count = checkHistoryCount(limit);
    return this.#seam.history(poolId, jobId, count);
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
    if (checked.poolId !== undefined) this.checkId(checked.poolId, 'pool');
    const db = await this.open();
    return storeCall('listing jobs', () => listJobs(db, this.options.tables, checked));
  }

  /**
   * Connects, brings the schema up to date (safe from many processes at once) and starts
   * listening for status changes. Called by the first pool that uses the store; calling
   * it again returns the same promise.
   *
   * @throws OrbitError `STORE_UNAVAILABLE` when the database cannot be reached.
   */
  open(deps: StoreDeps = {}): Promise<pg.Pool> {
    if (this.#closed) {
      const reason = new Error('the store was closed; make a new PostgresStore to connect again');
      return Promise.reject(storeUnavailable('using the store', reason));
    }
    this.#opening ??= this.#open(deps).catch((error: unknown) => {
      this.#opening = undefined;
      throw storeUnavailable('opening the store', error);
    });
    return this.#opening;
  }

  /**
   * Stops the heartbeats, the listener and the connections, for good: what uses the store
   * afterwards fails with `STORE_UNAVAILABLE` rather than connecting again.
   */
  async close(): Promise<void> {
    this.#closed = true;
    await Promise.all(this.#memberWrites);
    await this.#purge?.stop();
    await this.#heartbeat?.stop();
    await this.#listener?.close();
    this.#watchers.clear();
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
      // A process frozen inside a statement must not hold its job rows for long.
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
      message: (message) => this.#seam.deliver(message),
      membersChanged: (pool) => {
        this.#memberWrite('reading pool members', () => this.#members.refresh([pool]));
      },
      // Notifications are not replayed: the runs here read their status again at once.
      connected: () => this.#heartbeat?.runNow(),
    });
    await this.#listener.open();
    this.#startPurge(db);
    this.#heartbeat = new RepeatingTask(
      this.#clock,
      this.options.heartbeatIntervalMs,
      async () => {
        await this.#seam.renew();
        await this.#members.beat();
      },
      (error) => this.#logger.warn('renewing leases failed', { error }),
    );
    this.#heartbeat.start();
    return db;
  }

  /** A member-list task, in the background: a failure is logged; heartbeats retry. */
  #memberWrite(doing: string, task: () => Promise<void>): void {
    const write = task()
      .catch((error: unknown) => {
        this.#logger.warn(`${doing} failed`, { error: storeUnavailable(doing, error) });
      })
      .finally(() => this.#memberWrites.delete(write));
    this.#memberWrites.add(write);
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
}
