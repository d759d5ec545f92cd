import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Orbit } from '../../../src/orbit.js';
import type { JobControl } from '../../../src/job/job-config.js';
import { PostgresStore } from '../../../src/store/postgres/postgres-store.js';
import { createTestDatabase, type TestDatabase } from '../../support/postgres-database.js';

// Real clock: the pools wait on their timers and on the database.
let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase();
});

afterAll(async () => {
  await db.drop();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('pools on one PostgreSQL store in two processes', () => {
  it('run each tick of a shared job once between them', async () => {
    const ticks: number[] = [];
    const fences: number[] = [];
    const stores = [0, 1].map(
      () => new PostgresStore({ connectionString: db.connectionString, schema: 'shared' }),
    );
    const pools = stores.map((store) => {
      const pool = new Orbit().createPool({ id: 'reports', store });
      pool.addJob({
        id: 'tick',
        interval: { time: 100 },
        fn: (ctrl: JobControl) => {
          ticks.push(ctrl.scheduledAt.getTime());
          fences.push(ctrl.fence);
        },
      });
      return pool;
    });

    for (const pool of pools) pool.run();
    await sleep(1_500);
    await Promise.all(pools.map((pool) => pool.kill()));
    await Promise.all(stores.map((store) => store.close()));

    expect(ticks.length).toBeGreaterThanOrEqual(5);
    expect(new Set(ticks).size).toBe(ticks.length);
    expect(new Set(fences).size).toBe(fences.length);
    const { rows } = await db.sql.query<{ n: number; ticks: number }>(
      `SELECT count(*)::int AS n, count(DISTINCT scheduled_at)::int AS ticks FROM shared.runs`,
    );
    expect(rows[0]?.n).toBe(rows[0]?.ticks);
  });
});

describe('a pool on PostgreSQL that is killed', () => {
  it('records the run it cut short as stopped with POOL_SHUTDOWN', async () => {
    const store = new PostgresStore({ connectionString: db.connectionString, schema: 'killed' });
    const pool = new Orbit().createPool({ id: 'reports', store });
    const started = new Promise<void>((resolve) => {
      pool.addJob({
        id: 'hangs',
        interval: { time: '1h' },
        fn: () => {
          resolve();
          return new Promise(() => undefined);
        },
      });
    });
    pool.run();
    await started;
    await pool.kill({ timeout: 0 });

    const [cutShort] = await store.history('reports', 'hangs');
    const job = await store.job('reports', 'hangs');
    await store.close();
    expect(cutShort).toMatchObject({ fence: 1, outcome: 'stopped' });
    expect(cutShort?.error).toMatchObject({ code: 'POOL_SHUTDOWN' });
    expect(job?.lastError).toMatchObject({ code: 'POOL_SHUTDOWN' });
  });
});
