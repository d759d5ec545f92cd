import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresStore } from '../../../src/store/postgres/postgres-store.js';
import { createTestDatabase, type TestDatabase } from '../../support/postgres-database.js';
import { intervalJob, jobRow } from './postgres-fixtures.js';

let db: TestDatabase;
let store: PostgresStore;
let poolSeq = 0;
const nextPool = () => `pool-${++poolSeq}`;

beforeAll(async () => {
  db = await createTestDatabase();
  store = new PostgresStore({ connectionString: db.connectionString });
});

afterAll(async () => {
  await store.close();
  await db.drop();
});

describe('definition sync', () => {
  it('gives a new job its first due instant from the database clock', async () => {
    const poolId = nextPool();
    const { rows } = await db.sql.query<{ now: Date }>('SELECT now()');
    const synced = await store.sync(poolId, [intervalJob('a', 5_000)]);

    expect(synced).toEqual([{ jobId: 'a', change: 'inserted' }]);
    const due = (await jobRow(db, poolId, 'a')).due_at?.getTime() ?? 0;
    expect(Math.abs(due - (rows[0]?.now.getTime() ?? 0))).toBeLessThan(1_000);
  });

  it('changes nothing when the same definitions are deployed again', async () => {
    const poolId = nextPool();
    await store.sync(poolId, [intervalJob('a', 5_000)]);
    await db.sql.query(
      `UPDATE orbit.jobs SET due_at = now() + interval '1 hour', success_count = 7,
              status = 'stopped'`,
    );
    const before = await jobRow(db, poolId, 'a');

    expect(await store.sync(poolId, [intervalJob('a', 5_000)])).toEqual([]);
    expect(await jobRow(db, poolId, 'a')).toEqual(before);
  });

  it('takes a changed schedule and keeps counts and status', async () => {
    const poolId = nextPool();
    await store.sync(poolId, [intervalJob('a', 5_000)]);
    await db.sql.query(
      `UPDATE orbit.jobs SET due_at = now() + interval '1 hour', success_count = 7,
              status = 'stopped'`,
    );
    const startAtMs = Date.now() + 86_400_000;

    const synced = await store.sync(poolId, [intervalJob('a', 9_000, { startAtMs })]);
    expect(synced).toEqual([{ jobId: 'a', change: 'updated' }]);
    const row = await jobRow(db, poolId, 'a');
    expect(row.due_at?.getTime()).toBe(startAtMs);
    expect(row).toMatchObject({ success_count: '7', status: 'stopped' });
  });

  it('takes a changed retry policy without moving the due instant', async () => {
    const poolId = nextPool();
    await store.sync(poolId, [intervalJob('a', 5_000)]);
    const before = await jobRow(db, poolId, 'a');

    await store.sync(poolId, [intervalJob('a', 5_000, { retry: { active: true, count: 3 } })]);
    const row = await jobRow(db, poolId, 'a');
    expect(row.due_at).toEqual(before.due_at);
    const { rows } = await db.sql.query(
      'SELECT retry_active, retry_limit FROM orbit.jobs WHERE pool_id = $1',
      [poolId],
    );
    expect(rows[0]).toEqual({ retry_active: true, retry_limit: 3 });
  });

  it('brings an ended job back when its schedule changes', async () => {
    const poolId = nextPool();
    await store.sync(poolId, [intervalJob('a', 5_000)]);
    await db.sql.query(`UPDATE orbit.jobs SET status = 'ended', retries_used = 2`);

    await store.sync(poolId, [intervalJob('a', 5_000)]);
    expect((await jobRow(db, poolId, 'a')).status).toBe('ended');
    await store.sync(poolId, [intervalJob('a', 6_000)]);
    expect(await jobRow(db, poolId, 'a')).toMatchObject({ status: 'active', retries_used: 0 });
  });

  it('keeps pools with the same job ids apart', async () => {
    const [one, two] = [nextPool(), nextPool()];
    await store.sync(one, [intervalJob('a', 5_000)]);
    await store.sync(two, [intervalJob('a', 5_000)]);
    await db.sql.query(`UPDATE orbit.jobs SET success_count = 1 WHERE pool_id = $1`, [one]);
    expect((await jobRow(db, two, 'a')).success_count).toBe('0');
  });
});
