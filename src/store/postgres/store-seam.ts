import type pg from 'pg';
import type {
  ClaimResult,
  JobDefinition,
  Registration,
  RunClaim,
  RunCompletion,
  RunRecord,
  StatusChange,
  StoredJob,
} from '../store.js';
import { renewLeases, type HeldLease } from './heartbeat.js';
import type { ResolvedPostgresOptions } from './postgres-options.js';
import { toTimestamp } from './queryable.js';
import {
  liveRun,
  rowStatus,
  toRunRecord,
  toStoredJob,
  type SeamJobRow,
  type SeamRunRow,
} from './seam-rows.js';
import { seamStatements, type SeamStatements } from './seam-statements.js';
import { storeCall } from './store-unavailable.js';

/**
 * The store contract (`src/store/store.ts`) on PostgreSQL: what a pool calls at each
 * point of a job's life. A claim the database grants comes with a lease that this
 * process renews until the run ends, so a process that dies leaves a lease that
 * expires, and the next process to register the job gets the run back as lost.
 */
export class StoreSeam {
  readonly #db: () => Promise<pg.Pool>;
  readonly #options: ResolvedPostgresOptions;
  readonly #owner: string;
  readonly #sql: SeamStatements;
  /** Leases of runs this process claimed through the seam, by pool, then job. */
  readonly #leases = new Map<string, Map<string, number>>();

  constructor(db: () => Promise<pg.Pool>, options: ResolvedPostgresOptions, owner: string) {
    this.#db = db;
    this.#options = options;
    this.#owner = owner;
    this.#sql = seamStatements(options.tables);
  }

  register(poolId: string, definition: JobDefinition): Promise<Registration> {
    return storeCall('registering a job', async () => {
      const db = await this.#db();
      const { jobId, scheduleHash, firstDueAt } = definition;
      const written = await db.query(this.#sql.register, [
        poolId,
        jobId,
        scheduleHash,
        toTimestamp(firstDueAt),
      ]);
      const row = await this.#readRow(db, poolId, jobId);
      if (row === undefined) throw new Error(`job '${jobId}' vanished while registering`);
      const lostRun = row.lease_expired === true ? liveRun(row) : undefined;
      return { job: toStoredJob(row), isFresh: written.rowCount === 1, lostRun };
    });
  }

  claim(poolId: string, claim: RunClaim): Promise<ClaimResult> {
    return storeCall('claiming a run', async () => {
      const db = await this.#db();
      const { rows } = await db.query<SeamJobRow & { won: boolean }>(this.#sql.claim, [
        poolId,
        claim.jobId,
        new Date(claim.scheduledAt),
        new Date(claim.startedAt),
        this.#owner,
        this.#options.leaseTtlMs,
      ]);
      const row = rows[0];
      if (row === undefined) return { won: false, job: undefined };
      const job = toStoredJob(row);
      if (row.won) this.#hold(poolId, job.jobId, job.fence);
      return row.won ? { won: true, job } : { won: false, job };
    });
  }

  complete(poolId: string, completion: RunCompletion): Promise<boolean> {
    return storeCall('recording the end of a run', async () => {
      const db = await this.#db();
      const c = completion;
      const { rowCount } = await db.query(this.#sql.complete, [
        poolId,
        c.jobId,
        c.fence,
        rowStatus(c.status),
        toTimestamp(c.dueAt),
        c.success,
        c.failure,
        c.retriesUsed,
        JSON.stringify(c.data),
        c.error?.code ?? null,
        c.error?.message ?? null,
        new Date(c.endedAt),
        c.outcome,
      ]);
      this.#release(poolId, c.jobId, c.fence);
      if (rowCount === 1) await this.#trim(db, poolId, c.jobId);
      return rowCount === 1;
    });
  }

  setStatus(poolId: string, change: StatusChange): Promise<void> {
    return storeCall('changing a job status', async () => {
      const db = await this.#db();
      const closesRun = change.status === 'stopped' || change.status === 'ended';
      await db.query(this.#sql.setStatus, [
        poolId,
        change.jobId,
        rowStatus(change.status),
        toTimestamp(change.dueAt),
        closesRun,
      ]);
      if (closesRun) this.#leases.get(poolId)?.delete(change.jobId);
    });
  }

  remove(poolId: string, jobId: string): Promise<void> {
    return storeCall('removing a job', async () => {
      const db = await this.#db();
      await db.query(this.#sql.remove, [poolId, jobId]);
      this.#leases.get(poolId)?.delete(jobId);
    });
  }

  job(poolId: string, jobId: string): Promise<StoredJob | undefined> {
    return storeCall('reading a job', async () => {
      const row = await this.#readRow(await this.#db(), poolId, jobId);
      return row === undefined ? undefined : toStoredJob(row);
    });
  }

  history(poolId: string, jobId: string, limit?: number): Promise<RunRecord[]> {
    return storeCall('reading run history', async () => {
      const db = await this.#db();
      const kept = Math.min(limit ?? Infinity, this.#options.historyLimit ?? Infinity);
      if (kept <= 0) return [];
      const row = await this.#readRow(db, poolId, jobId);
      const live = row === undefined ? undefined : liveRun(row);
      const ended = Number.isFinite(kept) ? kept - (live === undefined ? 0 : 1) : null;
      const { rows } = await db.query<SeamRunRow>(this.#sql.history, [poolId, jobId, ended]);
      const records = rows.map(toRunRecord);
      return live === undefined ? records : [live, ...records];
    });
  }

  /** Renews the leases of the runs in progress here; those the database refuses are dropped. */
  async renew(): Promise<void> {
    const db = await this.#db();
    for (const [poolId, jobs] of this.#leases) {
      const held: HeldLease[] = [...jobs].map(([jobId, fence]) => ({ jobId, fence }));
      if (held.length === 0) continue;
      const { owner, leaseTtlMs } = { owner: this.#owner, leaseTtlMs: this.#options.leaseTtlMs };
      const renewed = await renewLeases(db, this.#options.tables, poolId, owner, leaseTtlMs, held);
      const kept = new Set(renewed.map((lease) => `${lease.jobId}:${lease.fence}`));
      for (const lease of held) {
        if (!kept.has(`${lease.jobId}:${lease.fence}`))
          this.#release(poolId, lease.jobId, lease.fence);
      }
    }
  }

  async #readRow(db: pg.Pool, poolId: string, jobId: string) {
    const { rows } = await db.query<SeamJobRow & { lease_expired: boolean | null }>(
      this.#sql.readJob,
      [poolId, jobId],
    );
    return rows[0];
  }

  async #trim(db: pg.Pool, poolId: string, jobId: string): Promise<void> {
    const limit = this.#options.historyLimit;
    if (limit !== undefined) await db.query(this.#sql.trimHistory, [poolId, jobId, limit]);
  }

  #hold(poolId: string, jobId: string, fence: number): void {
    let jobs = this.#leases.get(poolId);
    if (jobs === undefined) this.#leases.set(poolId, (jobs = new Map<string, number>()));
    jobs.set(jobId, fence);
  }

  #release(poolId: string, jobId: string, fence: number): void {
    const jobs = this.#leases.get(poolId);
    if (jobs?.get(jobId) === fence) jobs.delete(jobId);
  }
}
