import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresStore } from '../../../src/store/postgres/postgres-store.js';
import type { StoredJob } from '../../../src/store/store.js';
import { expectRejection } from '../../support/expect-error.js';
import { createTestDatabase, type TestDatabase } from '../../support/postgres-database.js';
import { completion } from '../conformance.js';

const POOL = 'refused';
/** Long ago, so that every tick is due by the database's clock. */
const T0 = Date.UTC(2020, 0, 1);

let db: TestDatabase;
let store: PostgresStore;

beforeAll(async () => {
  db = await createTestDatabase();
  store = new PostgresStore({ connectionString: db.connectionString, schema: 'refused' });
});

afterAll(async () => {
  await store.close();
  await db.drop();
});

/** Registers and claims `ids` in one turn, so their claims travel as one statement. */
async function claimAll(ids: string[]): Promise<StoredJob[]> {
  for (const jobId of ids) {
    await store.register(POOL, { jobId, name: jobId, scheduleHash: 'h', firstDueAt: T0 });
  }
  const claims = await Promise.all(
    ids.map((jobId) => store.claim(POOL, { jobId, scheduledAt: T0, startedAt: T0 + 1 })),
  );
  return claims.map((claim) => {
    expect(claim.won).toBe(true);
    return claim.job as StoredJob;
  });
}

describe('run ends that PostgreSQL refuses for their data', () => {
  it('fail alone: the run ends sent with them in one statement are written', async () => {
    const [good, unserialisable, nul, alsoGood] = await claimAll(['a', 'b', 'c', 'd']);

    // Sent in one turn, the four ends would be one statement.
    const answers = [
      store.complete(POOL, completion(good as StoredJob)),
      store.complete(POOL, completion(unserialisable as StoredJob, { data: { n: 1n } })),
      store.complete(
        POOL,
        completion(nul as StoredJob, {
          outcome: 'failure',
          error: { code: 'JOB_EXECUTION', message: 'a\u0000b' },
          success: 0,
          failure: 1,
        }),
      ),
      store.complete(POOL, completion(alsoGood as StoredJob)),
    ];

    const settled = await Promise.allSettled(answers);
    expect(settled.map((answer) => answer.status)).toEqual([
      'fulfilled',
      'rejected',
      'fulfilled',
      'fulfilled',
    ]);
    expect(settled[0]).toMatchObject({ value: true });
    expect(settled[2]).toMatchObject({ value: true });
    expect(settled[3]).toMatchObject({ value: true });
    await expectRejection(answers[1] as Promise<boolean>, 'STORE_UNAVAILABLE');
    // A job may throw any text: a NUL in its message is kept as U+FFFD, not refused.
    expect(await store.history(POOL, 'c')).toMatchObject([
      { outcome: 'failure', error: { code: 'JOB_EXECUTION', message: 'a\uFFFDb' } },
    ]);
    for (const jobId of ['a', 'd']) {
      expect(await store.job(POOL, jobId)).toMatchObject({
        status: 'waiting',
        success: 1,
        dueAt: T0 + 1000,
      });
      expect(await store.history(POOL, jobId)).toMatchObject([{ outcome: 'success' }]);
    }
    // The refused ones stay live, as a run end that never reached the store.
    expect(await store.job(POOL, 'b')).toMatchObject({ status: 'running' });
  });
});
