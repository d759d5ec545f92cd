import type pg from 'pg';
import type { Clock } from '../../time/clock.js';
import type { StoreWatchers } from '../store-watchers.js';
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
  StoredJob,
} from '../store.js';
import type { ChangeMessage } from './control.js';
import { renewLeases } from './heartbeat.js';
import { LeaseKeeper } from './lease-keeper.js';
import type { ResolvedPostgresOptions } from './postgres-options.js';
import { numberArray, textArray } from './array-literal.js';
import { toCount, toTimestamp } from './queryable.js';
import {
  claimedJob,
  claimedLiveRun,
  epochMs,
  liveRun,
  rowStatus,
  toRunRecord,
  toStoredJob,
  type ClaimRow,
  type SeamJobRow,
  type SeamRunRow,
} from './seam-rows.js';
import { seamStatements, type SeamStatements } from './seam-statements.js';
import { isDataRefused, storeCall } from './store-unavailable.js';
import { TickBatch } from './tick-batch.js';

/** What the seam shares with its store. */
export interface SeamContext {
  readonly db: () => Promise<pg.Pool>;
  readonly options: ResolvedPostgresOptions;
  /** This process's name in leases and run records. */
  readonly owner: string;
  readonly clock: () => Clock;
  readonly watchers: StoreWatchers;
}

/**
 * The store contract (`src/store/store.ts`) on PostgreSQL, for many processes at once. A
 * claim the database grants comes with a lease that this process renews until the run
 * ends; a lease that runs out (its process died or froze) is taken over by the next claim
 * of the job in any process, which answers the run as lost. Status changes are announced
 * to every process; heartbeats carry them too, for a run whose notification went missing.
 */
export class StoreSeam {
  readonly #context: SeamContext;
  readonly #sql: SeamStatements;
  /** The leases of runs this process holds, by pool. */
  readonly #leases = new Map<string, LeaseKeeper>();
  readonly #registrations = new Map<string, TickBatch<JobDefinition, Registration>>();
  readonly #claims = new Map<string, TickBatch<RunClaim, ClaimResult>>();
  readonly #completions = new Map<string, TickBatch<RunCompletion, boolean>>();
  /** Who ran the lost runs this process took over and has yet to end, by run. */
  readonly #lostOwners = new Map<string, string>();

  constructor(context: SeamContext) {
    this.#context = context;
    this.#sql = seamStatements(context.options.tables);
  }

  register(poolId: string, definition: JobDefinition): Promise<Registration> {
    const batch =
      this.#registrations.get(poolId) ??
      newBatch(this.#registrations, poolId, (definitions) =>
        this.#registerMany(poolId, definitions),
      );
    return batch.add(definition);
  }

  claim(poolId: string, claim: RunClaim): Promise<ClaimResult> {
    const batch =
      this.#claims.get(poolId) ??
      newBatch(this.#claims, poolId, (claims) => this.#claimMany(poolId, claims));
    return batch.add(claim);
  }

  complete(poolId: string, completion: RunCompletion): Promise<boolean> {
    const batch =
      this.#completions.get(poolId) ??
      newBatch(this.#completions, poolId, (completions) => this.#completeMany(poolId, completions));
    return batch.add(completion);
  }

  setStatus(poolId: string, change: StatusChange): Promise<void> {
    return storeCall('changing a job status', async () => {
      const db = await this.#context.db();
      const closesRun = change.status === 'stopped' || change.status === 'ended';
      await db.query(this.#sql.setStatus, [
        poolId,
        change.jobId,
        rowStatus(change.status),
        toTimestamp(change.dueAt),
        closesRun,
        change.pauseTimeoutMs ?? null,
        this.#context.options.tables.channel,
      ]);
      if (closesRun) this.#leases.get(poolId)?.release(change.jobId);
    });
  }

  command(poolId: string, command: RunCommand): Promise<boolean> {
    return storeCall(`asking a run to ${command.kind}`, async () => {
      const db = await this.#context.db();
      const { channel } = this.#context.options.tables;
      const { rowCount } =
        command.kind === 'pause'
          ? await db.query(this.#sql.pause, [poolId, command.jobId, command.timeoutMs, channel])
          : await db.query(this.#sql.resume, [poolId, command.jobId, channel]);
      return rowCount === 1;
    });
  }

  /** Gives up the lease of a run here that is past its safe age (`Store.checkLease`). */
  checkLease(poolId: string, jobId: string, fence: number): void {
    this.#leases.get(poolId)?.check(jobId, fence);
  }

  remove(poolId: string, jobId: string): Promise<void> {
    return storeCall('removing a job', async () => {
      const db = await this.#context.db();
      await db.query(this.#sql.remove, [poolId, jobId]);
      this.#leases.get(poolId)?.release(jobId);
    });
  }

  /** Jobs whose ticks their first choice left to the others; see `Store.overdue`. */
  overdue(poolId: string, dueBy: number): Promise<OverdueJobs> {
    return storeCall('looking for overdue jobs', async () => {
      const db = await this.#context.db();
      const { rows } = await db.query<OverdueRow>(this.#sql.overdue, [poolId, dueBy]);
      const row = rows[0] as OverdueRow;
      const leaseEndsInMs = row.lease_ends_in_ms;
      return {
        jobIds: row.job_ids ?? [],
        dueAts: (row.due_ms ?? []).map(Math.round),
        runningIds: row.running_ids ?? [],
        leaseEndsInMs: leaseEndsInMs === null ? undefined : Math.max(0, Math.ceil(leaseEndsInMs)),
      };
    });
  }

  job(poolId: string, jobId: string): Promise<StoredJob | undefined> {
    return storeCall('reading a job', async () => {
      const db = await this.#context.db();
      const { rows } = await db.query<SeamJobRow>(this.#sql.readJobs, [poolId, textArray([jobId])]);
      return rows[0] === undefined ? undefined : toStoredJob(rows[0]);
    });
  }

  history(poolId: string, jobId: string, limit?: number): Promise<RunRecord[]> {
    return storeCall('reading run history', async () => {
      const db = await this.#context.db();
      const kept = Math.min(limit ?? Infinity, this.#context.options.historyLimit ?? Infinity);
      if (kept <= 0) return [];
      const { rows: jobs } = await db.query<SeamJobRow>(this.#sql.readJobs, [
        poolId,
        textArray([jobId]),
      ]);
      const live = jobs[0] === undefined ? undefined : liveRun(jobs[0]);
      const ended = Number.isFinite(kept) ? kept - (live === undefined ? 0 : 1) : null;
      const { rows } = await db.query<SeamRunRow>(this.#sql.history, [poolId, jobId, ended]);
      const records = rows.map(toRunRecord);
      return live === undefined ? records : [live, ...records];
    });
  }

  /** Renews the leases of the runs in progress here; see {@link LeaseKeeper}. */
  async renew(): Promise<void> {
    const { db, options, owner, clock } = this.#context;
    const pool = await db();
    for (const [poolId, keeper] of this.#leases) {
      const leases = keeper.due();
      if (leases.length === 0) continue;
      const sentAtMs = clock().monotonic();
      const runs = leases.map((lease) => lease.run);
      const renewed = await renewLeases(
        pool,
        options.tables,
        poolId,
        owner,
        options.leaseTtlMs,
        runs,
      );
      keeper.renewed(leases, renewed, sentAtMs);
    }
  }

  /** A status change announced on the channel, by any process. */
  deliver(message: ChangeMessage): void {
    const { pool, job, status, owner, fence } = message;
    this.#leases.get(pool)?.observe(job, fence, status);
    this.#context.watchers.changed(pool, {
      jobId: job,
      status,
      fence,
      runsHere: owner === this.#context.owner,
      dueAt: message.dueAt ?? undefined,
      pauseTimeoutMs: message.timeoutMs ?? undefined,
    });
  }

  async #claimMany(poolId: string, claims: readonly RunClaim[]): Promise<ClaimResult[]> {
    const asked = new Map<string, RunClaim>();
    for (const claim of claims) if (!asked.has(claim.jobId)) asked.set(claim.jobId, claim);
    const sent = [...asked.values()];

    const rows = await storeCall('claiming runs', async () => {
      const db = await this.#context.db();
      const sentAtMs = this.#context.clock().monotonic();
      const answer = await db.query<ClaimRow>(this.#sql.claim, [
        poolId,
        textArray(sent.map((claim) => claim.jobId)),
        numberArray(sent.map((claim) => claim.scheduledAt)),
        numberArray(sent.map((claim) => claim.startedAt)),
        this.#context.owner,
        this.#context.options.leaseTtlMs,
        numberArray(sent.map((claim) => claim.from ?? null)),
        numberArray(sent.map((claim) => claim.passedOver ?? 0)),
      ]);
      for (const row of answer.rows) {
        if (row.won || row.lost_owner !== null) {
          this.#hold(poolId, row.job_id, toCount(row.fence), sentAtMs, row.lost_owner);
        }
      }
      return answer.rows;
    });

    const answers = new Map(rows.map((row) => [row.job_id, row]));
    const given = new Set<string>();
    return claims.map((claim) => {
      const row = answers.get(claim.jobId);
      if (row === undefined) return { won: false, job: undefined };
      const first = !given.has(claim.jobId);
      given.add(claim.jobId);
      return claimAnswer(row, first);
    });
  }

  async #completeMany(poolId: string, completions: readonly RunCompletion[]): Promise<boolean[]> {
    const keeper = this.#leases.get(poolId);
    for (const c of completions) keeper?.release(c.jobId, c.fence);
    const ranBy = completions.map((c) => {
      if (this.#lostOwners.size === 0) return null;
      const key = runKey(poolId, c.jobId, c.fence);
      const lostOwner = this.#lostOwners.get(key);
      this.#lostOwners.delete(key);
      return lostOwner ?? null;
    });

    return storeCall('recording the end of runs', async () => {
      const db = await this.#context.db();
      const { owner, options } = this.#context;
      const texts = (pick: (c: RunCompletion) => string | null) => textArray(completions.map(pick));
      const numbers = (pick: (c: RunCompletion) => number | null) =>
        numberArray(completions.map(pick));
      const { rows } = await db.query<{ refused: number[] }>(this.#sql.complete, [
        poolId,
        texts((c) => c.jobId),
        numbers((c) => c.fence),
        texts((c) => rowStatus(c.status)),
        numbers((c) => c.dueAt ?? null),
        numbers((c) => c.success),
        numbers((c) => c.failure),
        numbers((c) => c.retriesUsed),
        texts((c) => JSON.stringify(c.data)),
        texts((c) => c.error?.code ?? null),
        texts((c) => keptMessage(c.error?.message)),
        numbers((c) => c.endedAt),
        texts((c) => c.outcome),
        numbers((c) => c.skippedTicks ?? 0),
        owner,
        options.tables.channel,
        textArray(ranBy),
      ]);
      const refused = new Set(rows[0]?.refused);
      const written = completions.map((_, index) => !refused.has(index + 1));
      if (options.historyLimit !== undefined) {
        const trimmed = completions.filter((_, index) => written[index]).map((c) => c.jobId);
        if (trimmed.length > 0) {
          await db.query(this.#sql.trimHistory, [poolId, textArray(trimmed), options.historyLimit]);
        }
      }
      return written;
    });
  }

  /**
   * Registers many jobs in three statements: writes the new and changed ones, takes over
   * the live runs left by processes that are gone, then reads every job as it stands. A
   * job named twice is registered once per round, in the order asked.
   */
  async #registerMany(
    poolId: string,
    definitions: readonly JobDefinition[],
  ): Promise<Registration[]> {
    // Each round holds the positions in `definitions` of jobs it names once.
    const rounds: number[][] = [];
    const roundOf = new Map<string, number>();
    definitions.forEach(({ jobId }, index) => {
      const round = roundOf.get(jobId) ?? 0;
      roundOf.set(jobId, round + 1);
      (rounds[round] ??= []).push(index);
    });
    const answers: Registration[] = [];
    for (const round of rounds) {
      const asked = round.map((index) => definitions[index] as JobDefinition);
      const registered = await storeCall('registering jobs', () =>
        this.#registerRound(poolId, asked),
      );
      round.forEach((index, at) => (answers[index] = registered[at] as Registration));
    }
    return answers;
  }

  async #registerRound(
    poolId: string,
    definitions: readonly JobDefinition[],
    attemptsLeft = 2,
  ): Promise<Registration[]> {
    const db = await this.#context.db();
    const ids = textArray(definitions.map((d) => d.jobId));
    const written = await db.query<{ job_id: string }>(this.#sql.register, [
      poolId,
      ids,
      textArray(definitions.map((d) => d.scheduleHash)),
      numberArray(definitions.map((d) => d.firstDueAt ?? null)),
    ]);
    const fresh = new Set(written.rows.map((row) => row.job_id));
    const lost = await this.#takeOver(db, poolId, ids);
    const { rows } = await db.query<SeamJobRow>(this.#sql.readJobs, [poolId, ids]);
    const stored = new Map(rows.map((row) => [row.job_id, row]));
    const answers = definitions.map(({ jobId }) => {
      const isFresh = fresh.has(jobId);
      const taken = lost.get(jobId);
      if (taken !== undefined) return { job: toStoredJob(taken), isFresh, lostRun: taken.run };
      const row = stored.get(jobId);
      return row && { job: toStoredJob(row), isFresh, lostRun: undefined };
    });
    // Removed by another process between the statements: registered again, as new.
    const vanished = definitions.filter((_, index) => answers[index] === undefined);
    if (vanished.length === 0) return answers as Registration[];
    if (attemptsLeft === 0)
      throw new Error(`job '${vanished[0]?.jobId}' vanished while registering`);
    const again = await this.#registerRound(poolId, vanished, attemptsLeft - 1);
    return answers.map((answer) => answer ?? (again.shift() as Registration));
  }

  /** Takes over the live runs of `ids` (a text array) whose leases ran out, by job. */
  async #takeOver(db: pg.Pool, poolId: string, ids: string) {
    const { owner, options, clock } = this.#context;
    const sentAtMs = clock().monotonic();
    const { rows } = await db.query<SeamJobRow & { lost_owner: string }>(this.#sql.takeOver, [
      poolId,
      ids,
      owner,
      options.leaseTtlMs,
    ]);
    const taken = new Map<string, SeamJobRow & { run: RunRecord | undefined }>();
    for (const row of rows) {
      this.#hold(poolId, row.job_id, toCount(row.fence), sentAtMs, row.lost_owner);
      taken.set(row.job_id, { ...row, run: liveRun(row, row.lost_owner) });
    }
    return taken;
  }

  /** Keeps the lease of a run won or taken over (from `lostOwner`, a process gone). */
  #hold(
    poolId: string,
    jobId: string,
    fence: number,
    sentAtMs: number,
    lostOwner: string | null,
  ): void {
    if (lostOwner !== null) this.#lostOwners.set(runKey(poolId, jobId, fence), lostOwner);
    let keeper = this.#leases.get(poolId);
    if (keeper === undefined) {
      const { clock, options, watchers } = this.#context;
      keeper = new LeaseKeeper(clock(), options, {
        lost: (run) => watchers.runLost(poolId, run.jobId, run.fence),
        changed: ({ jobId, fence, status, pauseTimeoutMs }) =>
          watchers.changed(poolId, {
            jobId,
            status,
            fence,
            runsHere: true,
            dueAt: undefined,
            pauseTimeoutMs,
          }),
      });
      this.#leases.set(poolId, keeper);
    }
    keeper.hold({ jobId, fence }, sentAtMs);
  }
}

/** A pool's first batch of one kind of call, kept in `batches` for its later calls. */
function newBatch<In, Out>(
  batches: Map<string, TickBatch<In, Out>>,
  poolId: string,
  write: (inputs: readonly In[]) => Promise<Out[]>,
): TickBatch<In, Out> {
  const batch = new TickBatch(write, isDataRefused);
  batches.set(poolId, batch);
  return batch;
}

/** A claim's answer from its row; a second claim of one job in a batch never wins. */
function claimAnswer(row: ClaimRow, first: boolean): ClaimResult {
  const job = claimedJob(row);
  if (!first) return { won: false, job };
  if (row.won) return { won: true, job };
  if (row.lost_owner !== null) {
    return { won: false, job, lostRun: claimedLiveRun(row, row.lost_owner) };
  }
  const heldUntil = epochMs(row.held_until_ms);
  return heldUntil === undefined ? { won: false, job } : { won: false, job, heldUntil };
}

/** A run's key among this process's runs: pool, job and fence. */
function runKey(poolId: string, jobId: string, fence: number): string {
  return JSON.stringify([poolId, jobId, fence]);
}

/** The one row of the `overdue` statement: instants as epoch ms, the wait in ms. */
interface OverdueRow {
  readonly job_ids: string[] | null;
  readonly due_ms: number[] | null;
  readonly running_ids: string[] | null;
  readonly lease_ends_in_ms: number | null;
}

/**
 * An error message as PostgreSQL's text can keep it: a job may throw any text, and a NUL
 * character in it would refuse the end of every run of the job. It shows as U+FFFD.
 */
function keptMessage(message: string | undefined): string | null {
  return message === undefined ? null : message.replaceAll('\u0000', '\uFFFD');
}
