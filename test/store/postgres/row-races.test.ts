import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { renewLeases } from '../../../src/store/postgres/heartbeat.js';
import { PostgresStore } from '../../../src/store/postgres/postgres-store.js';
import { tableNames } from '../../../src/store/postgres/schema-name.js';
import { createTestDatabase, type TestDatabase } from '../../support/postgres-database.js';

/*
 * Statements that lock a job row first and then update it must reach the row in its
 * newest version. When another statement changed the row after this one began (a
 * heartbeat renewing the lease, a pause from another process) and commits while this one
 * waits for the lock, the version this statement locks is not visible to its own
 * snapshot: looked up again by its address, it is not found, and the write is silently
 * dropped. A run end dropped that way was later taken for a lost run.
 */

const POOL = 'races';
const SCHEMA = 'races';
const HOUR_MS = 3_600_000;

describe('a statement that waits for a job row another statement holds', () => {
  let db: TestDatabase;
  let store: PostgresStore;
  let other: pg.Client;
  let observer: pg.Client;
  let next = 0;

  beforeAll(async () => {
    db = await createTestDatabase();
    store = new PostgresStore({ connectionString: db.connectionString, schema: SCHEMA });
    await store.open();
    other = new pg.Client({ connectionString: db.connectionString });
    observer = new pg.Client({ connectionString: db.connectionString });
    await other.connect();
    await observer.connect();
  });
  afterEach(async () => {
    await other.query('ROLLBACK');
  });
  afterAll(async () => {
    await other.end();
    await observer.end();
    await store.close();
    await db.drop();
  });

  /** A job of its own, with its first tick claimed here: its run is live. */
  async function claimedJob(): Promise<{ jobId: string; fence: number; tick: number }> {
    const jobId = `job-${next++}`;
    const tick = Date.now() - 1_000;
    await store.register(POOL, { jobId, name: jobId, scheduleHash: 'h', firstDueAt: tick });
    const claim = await store.claim(POOL, { jobId, scheduledAt: tick, startedAt: tick });
    if (!claim.won) throw new Error(`the claim of ${jobId} was not won`);
    return { jobId, fence: claim.job.fence, tick };
  }

  /** Another session changes the job's row and holds it until `commit()`. */
  async function holdRow(jobId: string): Promise<{ commit: () => Promise<void> }> {
    await other.query('BEGIN');
    await other.query(
      `UPDATE ${SCHEMA}.jobs SET updated_at = now() WHERE pool_id = $1 AND job_id = $2`,
      [POOL, jobId],
    );
    return {
      commit: async () => {
        await other.query('COMMIT');
      },
    };
  }

  /** Resolves once some session of the test database waits for a row lock. */
  async function untilWaitingForLock(): Promise<void> {
    for (let tries = 0; tries < 500; tries++) {
      const { rows } = await observer.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM pg_stat_activity
          WHERE datname = current_database() AND wait_event_type = 'Lock'`,
      );
      if ((rows[0]?.n ?? 0) > 0) return;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    throw new Error('no statement waited for the row');
  }

  it('writes the end of a run once the other commits, rather than refusing it', async () => {
    const { jobId, fence, tick } = await claimedJob();
    const held = await holdRow(jobId);

    const written = store.complete(POOL, {
      jobId,
      fence,
      endedAt: Date.now(),
      outcome: 'success',
      error: undefined,
      status: 'waiting',
      dueAt: tick + HOUR_MS,
      success: 1,
      failure: 0,
      retriesUsed: 0,
      data: { rows: 3 },
    });
    await untilWaitingForLock();
    await held.commit();

    expect(await written).toBe(true);
    expect(await store.job(POOL, jobId)).toMatchObject({
      status: 'waiting',
      dueAt: tick + HOUR_MS,
      success: 1,
      data: { rows: 3 },
    });
    expect(await store.history(POOL, jobId)).toMatchObject([
      { scheduledAt: tick, fence, outcome: 'success' },
    ]);
  });

  it('renews a lease once the other commits, rather than finding it lost', async () => {
    const { jobId, fence } = await claimedJob();
    const { rows } = await observer.query<{ lease_owner: string; expires_ms: number }>(
      `SELECT lease_owner, date_part('epoch', lease_expires_at) * 1000 AS expires_ms
         FROM ${SCHEMA}.jobs WHERE pool_id = $1 AND job_id = $2`,
      [POOL, jobId],
    );
    const { lease_owner: owner, expires_ms: expiresMs } = rows[0] ?? {};
    const held = await holdRow(jobId);

    const renewing = new pg.Client({ connectionString: db.connectionString });
    await renewing.connect();
    try {
      const renewed = renewLeases(renewing, tableNames(SCHEMA), POOL, owner ?? '', 60_000, [
        { jobId, fence },
      ]);
      await untilWaitingForLock();
      await held.commit();

      expect(await renewed).toEqual([
        { jobId, fence, status: 'active', pauseTimeoutMs: undefined },
      ]);
    } finally {
      await renewing.end();
    }
    const after = await observer.query<{ expires_ms: number }>(
      `SELECT date_part('epoch', lease_expires_at) * 1000 AS expires_ms
         FROM ${SCHEMA}.jobs WHERE pool_id = $1 AND job_id = $2`,
      [POOL, jobId],
    );
    expect(after.rows[0]?.expires_ms).toBeGreaterThan((expiresMs ?? 0) + 20_000);
  });

  it('changes a status once the other commits, rather than dropping the change', async () => {
    const jobId = `job-${next++}`;
    const dueAt = Date.now() + HOUR_MS;
    await store.register(POOL, { jobId, name: jobId, scheduleHash: 'h', firstDueAt: dueAt });
    const held = await holdRow(jobId);

    const changing = store.setStatus(POOL, { jobId, status: 'stopped', dueAt: undefined });
    await untilWaitingForLock();
    await held.commit();
    await changing;

    expect(await store.job(POOL, jobId)).toMatchObject({ status: 'stopped' });
  });
});
