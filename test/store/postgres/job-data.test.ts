import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobControl } from '../../../src/job/job-config.js';
import { Orbit } from '../../../src/orbit.js';
import { PostgresStore } from '../../../src/store/postgres/postgres-store.js';
import { expectCode, expectOrbitError } from '../../support/expect-error.js';
import { createTestDatabase, type TestDatabase } from '../../support/postgres-database.js';

/*
 * PostgreSQL keeps a job's data as `jsonb`. Data it would refuse must be refused where the
 * job saves it: kept, it would fail the end of every run of the job, which would then
 * stay running for ever.
 */

const circular: Record<string, unknown> = { name: 'loop' };
circular.self = circular;

const unkept: [string, Record<string, unknown>][] = [
  ['a BigInt', { rows: 10n }],
  ['a cycle', circular],
  ['a NUL in a string', { file: 'a\u0000b' }],
  ['a NUL in a key', { 'a\u0000b': 1 }],
  ['half of a UTF-16 pair alone', { note: 'x\uD800' }],
];

describe('job data on PostgreSQL', () => {
  let db: TestDatabase;
  let store: PostgresStore;

  beforeAll(async () => {
    db = await createTestDatabase();
    store = new PostgresStore({ connectionString: db.connectionString, schema: 'data' });
    await store.open();
  });
  afterAll(async () => {
    await store.close();
    await db.drop();
  });

  it.each(unkept)('refuses %s with INVALID_CONFIG', (_label, data) => {
    const error = expectOrbitError(() => store.checkData(data), 'INVALID_CONFIG');
    expect(error.message).toContain('PostgresStore cannot keep this job data');
  });

  it('takes data jsonb keeps', () => {
    store.checkData({
      rows: 10,
      name: 'r\u00e9sum\u00e9 \uD83D\uDE00',
      nested: { list: [1, 'a'] },
    });
  });

  it('refuses the data at saveData, keeps what the job had, and records the run', async () => {
    const pool = new Orbit().createPool({ id: 'data', store });
    let refused: unknown;
    let seen: unknown;
    pool.addJob({
      id: 'export',
      interval: { time: '1h' },
      fn: (ctrl: JobControl) => {
        ctrl.saveData({ done: 1 });
        try {
          ctrl.saveData({ rows: 10n });
        } catch (error) {
          refused = error;
        }
        seen = ctrl.getData();
      },
    });
    pool.run();
    for (
      let tries = 0;
      tries < 100 && (await store.history('data', 'export')).length === 0;
      tries++
    ) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await pool.kill();

    expectCode(refused, 'INVALID_CONFIG');
    expect(seen).toEqual({ done: 1 });
    const [record] = await store.history('data', 'export');
    expect(record).toMatchObject({ outcome: 'success' });
    expect(await store.job('data', 'export')).toMatchObject({ data: { done: 1 }, success: 1 });
  });
});
