import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Orbit } from '../../src/orbit.js';
import { PostgresStore } from '../../src/store/postgres/postgres-store.js';
import { SqliteStore } from '../../src/store/sqlite/index.js';
import type { Store } from '../../src/store/store.js';
import { expectOrbitError, expectRejection } from '../support/expect-error.js';
import { createTestDatabase, type TestDatabase } from '../support/postgres-database.js';
import { makeTempDir } from '../support/temp-dir.js';

/*
 * A durable store keeps job and pool ids as UTF-8 text. An id it would keep as another id (a lone
 * UTF-16 surrogate turns into U+FFFD) or could not keep at all is refused by `addJob`
 * before the pool takes the job, rather than failing at every registration for ever.
 */

const LONE_SURROGATE = 'report-\uD800';
const WITH_NUL = 'report\u0000night';
const fn = () => undefined;

/** Adds a job with `id` to a new pool on `store`; answers the stored job once registered. */
async function addAndRead(store: Store, id: string) {
  const pool = new Orbit().createPool({ id: 'ids', store });
  try {
    pool.addJob({ id, interval: { time: '1h' }, fn });
    pool.run();
    for (let tries = 0; tries < 100; tries++) {
      const stored = await store.job('ids', id);
      if (stored !== undefined) return stored;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return undefined;
  } finally {
    await pool.kill({ timeout: 0 });
  }
}

function refusedBy(store: Store, id: string): void {
  const pool = new Orbit().createPool({ id: 'ids', store });
  const error = expectOrbitError(
    () => pool.addJob({ id, interval: { time: '1h' }, fn }),
    'INVALID_CONFIG',
  );
  expect(error.jobId).toBe(id);
  expect(pool.getMetrics()).toEqual({});
  void pool.kill({ timeout: 0 });
}

describe('job ids a PostgreSQL store cannot keep', () => {
  let db: TestDatabase;
  let store: PostgresStore;
  beforeAll(async () => {
    db = await createTestDatabase();
    store = new PostgresStore({ connectionString: db.connectionString, schema: 'ids' });
  });
  afterAll(async () => {
    await store.close();
    await db.drop();
  });

  it('are refused by addJob: a lone surrogate, a NUL, more than 1,000 bytes', () => {
    for (const id of [LONE_SURROGATE, WITH_NUL, 'é'.repeat(501), 'x'.repeat(1_001)]) {
      refusedBy(store, id);
    }
  });

  it('are refused for pools too, by createPool', () => {
    const orbit = new Orbit();
    for (const id of [LONE_SURROGATE, WITH_NUL, 'x'.repeat(1_001)]) {
      expectOrbitError(() => orbit.createPool({ id, store }), 'INVALID_CONFIG');
    }
  });

  it('are refused when asked about, as addJob refuses them, not taken for a failed server', async () => {
    for (const [poolId, jobId] of [
      [WITH_NUL, 'report'],
      ['ids', WITH_NUL],
      ['ids', LONE_SURROGATE],
    ] as const) {
      await expectRejection(store.job(poolId, jobId), 'INVALID_CONFIG');
      await expectRejection(store.history(poolId, jobId), 'INVALID_CONFIG');
    }
    await expectRejection(store.listJobs({ poolId: WITH_NUL }), 'INVALID_CONFIG');
  });

  it('keep the ids it can, up to 1,000 bytes of any text', async () => {
    for (const id of ['é'.repeat(500), 'x'.repeat(1_000), 'report 🚀 "night" \\ east']) {
      expect((await addAndRead(store, id))?.jobId).toBe(id);
    }
  });
});

describe('job ids a SQLite store cannot keep', () => {
  const dir = makeTempDir('storable-id');
  const store = new SqliteStore({ path: join(dir.path, 'orbit.db') });
  afterAll(() => {
    store.close();
    dir.remove();
  });

  it('are the ones with a lone surrogate; a NUL and a long id are kept', async () => {
    refusedBy(store, LONE_SURROGATE);
    expectOrbitError(() => new Orbit().createPool({ id: LONE_SURROGATE, store }), 'INVALID_CONFIG');
    for (const id of [WITH_NUL, 'x'.repeat(5_000)]) {
      expect((await addAndRead(store, id))?.jobId).toBe(id);
    }
  });
});

describe('the in-memory default', () => {
  it('keeps any id', () => {
    const pool = new Orbit().createPool({ id: 'ids' });
    for (const id of [LONE_SURROGATE, WITH_NUL, 'x'.repeat(5_000)]) {
      pool.addJob({ id, interval: { time: '1h' }, fn });
    }
    expect(Object.keys(pool.getMetrics())).toHaveLength(3);
  });
});
