import { describe, expect, it } from 'vitest';
import { claimRuns } from '../../../src/store/postgres/claim.js';
import type { StoredJobDefinition } from '../../../src/store/postgres/job-definition.js';
import { reapExpiredLeases } from '../../../src/store/postgres/reaper.js';
import {
  expireLease,
  intervalJob,
  jobRow,
  makeDue,
  plannedClaims,
  runRows,
  useOpenStore,
} from './postgres-fixtures.js';

const open = useOpenStore();
let poolSeq = 0;

/** A new pool holding `job`, whose due tick has been claimed by `node-a`. */
async function claimedBy(job: StoredJobDefinition): Promise<{ poolId: string; fence: number }> {
  const poolId = `pool-${++poolSeq}`;
  await open.store.sync(poolId, [job]);
  await makeDue(open.db, poolId, job.id);
  const plans = await plannedClaims(open, poolId, job.schedule);
  const [run] = await claimRuns(
    open.conn,
    open.store.options.tables,
    poolId,
    'node-a',
    30_000,
    plans,
  );
  if (run === undefined) throw new Error('nothing claimed');
  return { poolId, fence: run.fence };
}

const reap = (poolId: string) => reapExpiredLeases(open.conn, open.store.options.tables, poolId);

describe('the reaper', () => {
  it('leaves a lease that has not expired', async () => {
    const { poolId } = await claimedBy(intervalJob('a', 60_000));
    expect(await reap(poolId)).toEqual([]);
    expect((await jobRow(open.db, poolId, 'a')).lease_owner).toBe('node-a');
  });

  it('records an expired run as lost with RUN_LOST and frees the job', async () => {
    const job = intervalJob('a', 60_000, { retry: { active: true } });
    const { poolId, fence } = await claimedBy(job);
    await expireLease(open.db, poolId, 'a');

    expect(await reap(poolId)).toEqual([{ jobId: 'a', fence, status: 'active' }]);
    const row = await jobRow(open.db, poolId, 'a');
    expect(row).toMatchObject({
      lease_owner: null,
      status: 'active',
      lost_count: '1',
      failure_count: '1',
      retries_used: 1,
      last_error_code: 'RUN_LOST',
    });
    const [run] = await runRows(open.db, poolId);
    expect(run).toMatchObject({ status: 'lost', error_code: 'RUN_LOST' });
  });

  it('ends a job whose retry policy allows no more failures', async () => {
    const { poolId } = await claimedBy(intervalJob('a', 60_000));
    await expireLease(open.db, poolId, 'a');
    await reap(poolId);
    expect((await jobRow(open.db, poolId, 'a')).status).toBe('ended');
  });

  it('keeps the next tick the claim gave, so the lost tick is never run again', async () => {
    const { poolId } = await claimedBy(intervalJob('a', 60_000, { retry: { active: true } }));
    const claimedRow = await jobRow(open.db, poolId, 'a');
    await expireLease(open.db, poolId, 'a');
    await reap(poolId);

    const row = await jobRow(open.db, poolId, 'a');
    expect(row.due_at?.getTime()).toBe(claimedRow.due_at?.getTime());
    expect(row.due_at?.getTime()).toBeGreaterThan(claimedRow.run_tick?.getTime() ?? Infinity);
  });

  it('records a lost run of a stopped job as stopped, not as a failure', async () => {
    const { poolId } = await claimedBy(intervalJob('a', 60_000, { retry: { active: true } }));
    await open.store.stopJob(poolId, 'a');
    await expireLease(open.db, poolId, 'a');
    await reap(poolId);

    expect(await jobRow(open.db, poolId, 'a')).toMatchObject({
      status: 'stopped',
      failure_count: '0',
    });
    expect((await runRows(open.db, poolId))[0]?.status).toBe('stopped');
  });

  it('reaps each expired lease once when many reapers run together', async () => {
    const { poolId } = await claimedBy(intervalJob('a', 60_000, { retry: { active: true } }));
    await expireLease(open.db, poolId, 'a');
    const passes = await Promise.all(Array.from({ length: 8 }, () => reap(poolId)));
    expect(passes.flat()).toHaveLength(1);
    expect((await jobRow(open.db, poolId, 'a')).lost_count).toBe('1');
  });
});
