import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ClaimedRun } from '../../../src/store/postgres/claim.js';
import type { PostgresStoreOptions } from '../../../src/store/postgres/postgres-options.js';
import { PostgresStore } from '../../../src/store/postgres/postgres-store.js';
import { ClusterRunner, type RunnerJob } from '../../support/postgres-cluster-runner.js';
import { createTestDatabase, type TestDatabase } from '../../support/postgres-database.js';
import { intervalJob, jobRow, runRows } from './postgres-fixtures.js';

// These tests run on the real clock: the database's `now()` decides what is due.
let db: TestDatabase;
let poolSeq = 0;
const open: { store: PostgresStore; runner: ClusterRunner }[] = [];

beforeAll(async () => {
  db = await createTestDatabase();
});

afterEach(async () => {
  for (const { runner, store } of open.splice(0)) {
    await runner.stop();
    await store.close();
  }
});

afterAll(async () => {
  await db.drop();
});

const fast: PostgresStoreOptions = {
  leaseTtl: 900,
  heartbeatInterval: 150,
  reapInterval: 150,
  pollInterval: 200,
};

/** A process of the cluster: its own store (connections, owner name) and runner. */
async function member(poolId: string, jobs: RunnerJob[], options: PostgresStoreOptions = {}) {
  const store = new PostgresStore({ connectionString: db.connectionString, ...fast, ...options });
  const runner = new ClusterRunner(store, poolId, jobs);
  open.push({ store, runner });
  await runner.start();
  return { store, runner };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(check: () => Promise<boolean> | boolean, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(25);
  }
}

/** Waits on the run's signal: a run that lasts until stopped or lost. */
const waitForAbort = (_run: ClaimedRun, signal: AbortSignal) =>
  new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve()));

describe('a pool shared by several processes', () => {
  it('runs each tick of each job exactly once, on one of them', async () => {
    const poolId = `pool-${++poolSeq}`;
    const executed: string[] = [];
    // Under 'all', a late claim still runs every tick, so the ticks must be contiguous.
    const jobs = ['a', 'b', 'c'].map((id) => ({
      definition: intervalJob(id, 150, { misfire: 'all' }),
      fn: (run: ClaimedRun) => void executed.push(`${run.jobId}@${run.tickMs}`),
    }));
    await Promise.all([member(poolId, jobs), member(poolId, jobs), member(poolId, jobs)]);
    await sleep(2_000);

    expect(new Set(executed).size).toBe(executed.length);
    expect(executed.length).toBeGreaterThanOrEqual(3 * 10);
    for (const id of ['a', 'b', 'c']) {
      const ticks = (await runRows(db, poolId, id)).map((r) => r.scheduled_at.getTime());
      const gaps = ticks.slice(1).map((tick, i) => tick - (ticks[i] ?? 0));
      expect(new Set(gaps)).toEqual(new Set([150]));
    }
  });
});

describe('a job put back on a tick it already served', () => {
  it('goes on from the tick after it, running none twice', async () => {
    const poolId = `pool-${++poolSeq}`;
    const executed: number[] = [];
    const job = {
      definition: intervalJob('a', 150),
      fn: (run: ClaimedRun) => void executed.push(run.tickMs),
    };
    await member(poolId, [job]);
    await until(() => executed.length >= 3);
    await db.sql.query(
      `UPDATE orbit.jobs SET due_at = run_tick - interval '300 ms' WHERE pool_id = $1`,
      [poolId],
    );
    const before = executed.length;
    await until(() => executed.length >= before + 3);

    expect(new Set(executed).size).toBe(executed.length);
    expect(executed).toEqual([...executed].sort((a, b) => a - b));
  });
});

describe('a process that stops renewing its lease', () => {
  it('loses the run as RUN_LOST, and the job goes on at its next tick', async () => {
    const poolId = `pool-${++poolSeq}`;
    let calls = 0;
    const job = {
      definition: intervalJob('slow', 300, { retry: { active: true } }),
      fn: (run: ClaimedRun, signal: AbortSignal) =>
        ++calls === 1 ? waitForAbort(run, signal) : undefined,
    };
    // A process whose heartbeats will not come in time, as if frozen:
    await member(poolId, [job], { leaseTtl: 60_000, heartbeatInterval: 30_000 });
    await until(() => calls === 1);
    await db.sql.query(
      `UPDATE orbit.jobs SET lease_expires_at = now() - interval '1 s'
        WHERE pool_id = $1 AND lease_owner IS NOT NULL`,
      [poolId],
    );
    await member(poolId, [job]);

    await until(async () => (await runRows(db, poolId)).some((r) => r.status === 'succeeded'));
    const runs = await runRows(db, poolId);
    expect(runs[0]).toMatchObject({ status: 'lost', error_code: 'RUN_LOST' });
    expect((await jobRow(db, poolId, 'slow')).lost_count).toBe('1');
  });
});

describe('cluster-wide control', () => {
  it('pauses, resumes and stops a run in another process', async () => {
    const poolId = `pool-${++poolSeq}`;
    const job = { definition: intervalJob('long', 60_000), fn: waitForAbort };
    const runner = (await member(poolId, [job])).runner;
    const other = await member(poolId, []);
    await until(async () => (await jobRow(db, poolId, 'long')).lease_owner !== null);

    await other.store.pauseJob(poolId, 'long', 5_000);
    await until(() => runner.controls.some((m) => m.command === 'pause'));
    await other.store.resumeJob(poolId, job.definition);
    await until(() => runner.controls.some((m) => m.command === 'resume'));
    await other.store.stopJob(poolId, 'long');
    await until(async () => (await runRows(db, poolId))[0]?.status === 'stopped');

    expect(await jobRow(db, poolId, 'long')).toMatchObject({
      status: 'stopped',
      lease_owner: null,
    });
    expect((await jobRow(db, poolId, 'long')).failure_count).toBe('0');
  });

  it('refuses to pause a job that has no run in progress', async () => {
    const poolId = `pool-${++poolSeq}`;
    const job = {
      definition: intervalJob('idle', 60_000, { startAtMs: Date.now() + 60_000 }),
      fn: () => undefined,
    };
    const { store } = await member(poolId, [job]);
    await expect(store.pauseJob(poolId, 'idle', 1_000)).rejects.toMatchObject({
      code: 'JOB_NOT_RUNNING',
    });
    await expect(store.pauseJob(poolId, 'nope', 1_000)).rejects.toMatchObject({
      code: 'JOB_NOT_FOUND',
    });
    await expect(store.resumeJob(poolId, job.definition)).rejects.toMatchObject({
      code: 'JOB_NOT_PAUSED_OR_STOPPED',
    });
  });

  it('puts a stopped job back on its schedule when resumed', async () => {
    const poolId = `pool-${++poolSeq}`;
    let runs = 0;
    const job = {
      definition: intervalJob('tick', 200),
      fn: () => {
        runs++;
      },
    };
    const { store } = await member(poolId, [job]);
    await until(() => runs >= 1);
    await store.stopJob(poolId, 'tick');
    const stoppedAt = runs;
    await sleep(500);
    expect(runs - stoppedAt).toBeLessThanOrEqual(1);

    await store.resumeJob(poolId, job.definition);
    await until(() => runs >= stoppedAt + 3);
  });

  it('delivers a command whose notification was lost through the next heartbeat', async () => {
    const poolId = `pool-${++poolSeq}`;
    const job = { definition: intervalJob('long', 60_000), fn: waitForAbort };
    const { runner } = await member(poolId, [job]);
    await until(async () => (await jobRow(db, poolId, 'long')).lease_owner !== null);

    await db.sql.query(
      `UPDATE orbit.jobs SET pause_requested_at = now(), pause_timeout_ms = 1000
        WHERE pool_id = $1`,
      [poolId],
    );
    await until(() => runner.controls.some((m) => m.command === 'pause'));
  });
});

describe('losing the database connections', () => {
  it('reports STORE_UNAVAILABLE and keeps running jobs once they are back', async () => {
    const poolId = `pool-${++poolSeq}`;
    let runs = 0;
    const job = {
      definition: intervalJob('tick', 100),
      fn: () => {
        runs++;
      },
    };
    const { runner } = await member(poolId, [job]);
    await until(() => runs >= 2);

    await db.sql.query(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
        WHERE datname = $1 AND application_name = 'orbit-scheduler'`,
      [db.name],
    );
    const before = runs;
    await until(() => runs >= before + 5);
    expect(runner.errors.every((e) => (e as { code?: string }).code === 'STORE_UNAVAILABLE')).toBe(
      true,
    );
  });
});
