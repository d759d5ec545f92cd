import pg from 'pg';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  claimRuns,
  type ClaimedRun,
  type PlannedClaim,
} from '../../../src/store/postgres/claim.js';
import { completeRuns } from '../../../src/store/postgres/completion.js';
import { renewLeases } from '../../../src/store/postgres/heartbeat.js';
import {
  intervalJob,
  jobRow,
  makeDue,
  plannedClaims as planned,
  runRows,
  useOpenStore,
} from './postgres-fixtures.js';

const open = useOpenStore();
let poolSeq = 0;
let poolId: string;
const tables = () => open.store.options.tables;
const job = intervalJob('report', 60_000);

beforeEach(async () => {
  poolId = `pool-${++poolSeq}`;
  await open.store.sync(poolId, [job]);
  await makeDue(open.db, poolId, job.id);
});

const plannedClaims = () => planned(open, poolId, job.schedule);

function claim(plans: PlannedClaim[], owner = 'node-a', via: pg.Pool = open.conn) {
  return claimRuns(via, tables(), poolId, owner, 30_000, plans);
}

async function claimOne(owner = 'node-a'): Promise<ClaimedRun> {
  const [run] = await claim(await plannedClaims(), owner);
  if (run === undefined) throw new Error('nothing claimed');
  return run;
}

describe('claiming a due tick', () => {
  it('gives the tick to exactly one of fifty concurrent claimers', async () => {
    const plans = await plannedClaims();
    const racers = new pg.Pool({ connectionString: open.db.connectionString, max: 25 });
    try {
      const results = await Promise.all(
        Array.from({ length: 50 }, (_, i) => claim(plans, `node-${i}`, racers)),
      );
      expect(results.flat()).toHaveLength(1);
    } finally {
      await racers.end();
    }
    expect(Number((await jobRow(open.db, poolId, job.id)).fence)).toBe(1);
  });

  it('moves the job to its next tick, takes the lease and bumps the fence', async () => {
    const before = await jobRow(open.db, poolId, job.id);
    const run = await claimOne();

    const after = await jobRow(open.db, poolId, job.id);
    expect(run.tickMs).toBe(before.due_at?.getTime());
    expect(after.due_at?.getTime()).toBe(run.tickMs + 60_000);
    expect(after.lease_owner).toBe('node-a');
    expect(Number(after.fence)).toBe(Number(before.fence) + 1);
    expect(run.fence).toBe(Number(after.fence));
  });

  it('takes nothing when the row changed since the poll', async () => {
    const plans = await plannedClaims();
    await open.db.sql.query('UPDATE orbit.jobs SET version = version + 1 WHERE pool_id = $1', [
      poolId,
    ]);
    expect(await claim(plans)).toEqual([]);
  });

  it('takes nothing before the database says the job is due', async () => {
    const plans = await plannedClaims();
    await open.db.sql.query(`UPDATE orbit.jobs SET due_at = now() + interval '1 hour'`);
    expect(await claim(plans)).toEqual([]);
  });

  it('never claims a tick at or before the one it last served', async () => {
    const first = await claimOne();
    await completeRuns(open.conn, tables(), poolId, 'node-a', [
      {
        jobId: job.id,
        fence: first.fence,
        outcome: 'succeeded',
        nextDueMs: first.tickMs,
        skipped: 0,
      },
    ]);
    // A schedule change that puts the job back on a tick it already ran:
    expect(await claim(await plannedClaims())).toEqual([]);

    expect(await runRows(open.db, poolId)).toHaveLength(1);
    expect(Number((await jobRow(open.db, poolId, job.id)).fence)).toBe(first.fence);
  });
});

describe('completing a run', () => {
  it('releases the lease, counts the success and records the run', async () => {
    const run = await claimOne();
    const accepted = await completeRuns(open.conn, tables(), poolId, 'node-a', [
      {
        jobId: job.id,
        fence: run.fence,
        outcome: 'succeeded',
        nextDueMs: run.tickMs + 60_000,
        skipped: 0,
        data: { rows: 3 },
      },
    ]);

    expect([...accepted]).toEqual([`${job.id}:${run.fence}`]);
    const row = await jobRow(open.db, poolId, job.id);
    expect(row).toMatchObject({
      lease_owner: null,
      success_count: '1',
      status: 'active',
      data: { rows: 3 },
    });
    expect((await runRows(open.db, poolId))[0]?.status).toBe('succeeded');
  });

  it('writes nothing for a run whose fence is no longer the job’s', async () => {
    const run = await claimOne();
    const stale = {
      jobId: job.id,
      fence: run.fence - 1,
      outcome: 'succeeded' as const,
      nextDueMs: 0,
      skipped: 0,
    };
    expect((await completeRuns(open.conn, tables(), poolId, 'node-a', [stale])).size).toBe(0);
    expect((await jobRow(open.db, poolId, job.id)).lease_owner).toBe('node-a');
  });

  it('writes nothing for a process that does not hold the lease', async () => {
    const run = await claimOne('node-a');
    const end = {
      jobId: job.id,
      fence: run.fence,
      outcome: 'failed' as const,
      nextDueMs: 0,
      skipped: 0,
    };
    expect((await completeRuns(open.conn, tables(), poolId, 'node-b', [end])).size).toBe(0);
    expect((await jobRow(open.db, poolId, job.id)).failure_count).toBe('0');
  });

  it('ends a job whose only allowed failure happened', async () => {
    const run = await claimOne();
    const end = {
      jobId: job.id,
      fence: run.fence,
      outcome: 'failed' as const,
      nextDueMs: run.tickMs + 60_000,
      skipped: 0,
      errorCode: 'JOB_EXECUTION',
    };
    await completeRuns(open.conn, tables(), poolId, 'node-a', [end]);
    expect(await jobRow(open.db, poolId, job.id)).toMatchObject({
      status: 'ended',
      failure_count: '1',
      last_error_code: 'JOB_EXECUTION',
    });
  });
});

describe('renewing leases', () => {
  it('renews a held lease and reports the job’s control state', async () => {
    const run = await claimOne();
    const renewed = await renewLeases(open.conn, tables(), poolId, 'node-a', 30_000, [run]);
    expect(renewed).toEqual([
      expect.objectContaining({
        jobId: job.id,
        fence: run.fence,
        status: 'active',
        pauseRequestedMs: undefined,
      }),
    ]);
  });

  it('renews nothing for a stale fence or another owner', async () => {
    const run = await claimOne();
    const stale = { jobId: job.id, fence: run.fence + 1 };
    expect(await renewLeases(open.conn, tables(), poolId, 'node-a', 30_000, [stale])).toEqual([]);
    expect(await renewLeases(open.conn, tables(), poolId, 'node-b', 30_000, [run])).toEqual([]);
  });
});
