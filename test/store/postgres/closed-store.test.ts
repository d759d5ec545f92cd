import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresStore } from '../../../src/store/postgres/postgres-store.js';
import { createTestDatabase, type TestDatabase } from '../../support/postgres-database.js';

let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase();
});

afterAll(async () => {
  await db.drop();
});

/** The number of connections the test database has from anyone but this query. */
async function connections(): Promise<number> {
  const { rows } = await db.sql.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM pg_stat_activity
      WHERE datname = $1 AND pid <> pg_backend_pid()`,
    [db.name],
  );
  return rows[0]?.n ?? 0;
}

describe('a PostgresStore once closed', () => {
  it('answers every later call with STORE_UNAVAILABLE and opens no connection', async () => {
    const store = new PostgresStore({ connectionString: db.connectionString, schema: 'closed' });
    await store.open();
    await store.close();
    const before = await connections();

    for (const call of [
      () => store.open(),
      () => store.listJobs(),
      () => store.history('p', 'j'),
      () =>
        Promise.resolve(
          store.register('p', { jobId: 'j', name: 'j', scheduleHash: 'h', firstDueAt: 0 }),
        ),
    ]) {
      await expect(call()).rejects.toMatchObject({ code: 'STORE_UNAVAILABLE' });
    }
    expect(await connections()).toBe(before);
  });
});
