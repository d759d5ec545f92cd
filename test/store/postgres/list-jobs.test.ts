import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresStore } from '../../../src/store/postgres/postgres-store.js';
import { expectRejection } from '../../support/expect-error.js';
import { startOrbit } from '../../support/orbit-process.js';
import { createTestDatabase, type TestDatabase } from '../../support/postgres-database.js';
import {
  definition,
  DIGEST,
  DIGEST_JSON,
  INVOICE_ROW,
  LISTED_IDS,
  seedDigest,
  seedInvoice,
  T0,
} from '../listing-cases.js';

const SCHEMA = 'listing';

let db: TestDatabase;
/** Two processes' stores on one schema. */
let here: PostgresStore;
let elsewhere: PostgresStore;

beforeAll(async () => {
  db = await createTestDatabase();
  here = new PostgresStore({ connectionString: db.connectionString, schema: SCHEMA });
  elsewhere = new PostgresStore({ connectionString: db.connectionString, schema: SCHEMA });

  // This process runs `reports/digest` once, and it fails; another process has
  // `reports/export`, and a pool of its own, `billing`, with a run in progress.
  await seedDigest(here);
  await elsewhere.register('reports', definition('export', T0 + 30_000));
  await seedInvoice(elsewhere);
});

afterAll(async () => {
  await Promise.all([here.close(), elsewhere.close()]);
  await db.drop();
});

describe('PostgresStore.listJobs', () => {
  it('lists the jobs of every process that shares the schema, by pool and job id', async () => {
    const jobs = await here.listJobs();

    expect(jobs.map((job) => `${job.poolId}/${job.jobId}`)).toEqual(LISTED_IDS);
    expect(jobs[0]).toMatchObject({ status: 'running', fence: 1, lastStartAt: T0 + 1 });
    expect(jobs[1]).toMatchObject(DIGEST);
    expect(jobs[2]).toMatchObject({ status: 'waiting', dueAt: T0 + 30_000, fence: 0 });
  });

  it('lists the jobs of one pool when asked', async () => {
    const jobs = await elsewhere.listJobs({ poolId: 'reports' });

    expect(jobs.map((job) => job.jobId)).toEqual(['digest', 'export']);
    expect(await here.listJobs({ poolId: 'nobody' })).toEqual([]);
  });

  it('refuses a filter it does not know with INVALID_CONFIG', async () => {
    const filter = { pool: 'reports' } as unknown as { poolId: string };
    const error = await expectRejection(here.listJobs(filter), 'INVALID_CONFIG');

    expect(error.message).toBe("listJobs has no option 'pool'; known: poolId");
  });

  it('says STORE_UNAVAILABLE when the server cannot be reached', async () => {
    const nowhere = new PostgresStore({
      connectionString: 'postgres://postgres@127.0.0.1:1/none',
      schema: SCHEMA,
    });

    await expectRejection(nowhere.listJobs(), 'STORE_UNAVAILABLE');
    await nowhere.close();
  });
});

describe('orbit on PostgreSQL, as a process', () => {
  it('prints the jobs of every process sharing the store', async () => {
    const url = `${db.connectionString}?schema=${SCHEMA}`;
    const orbit = startOrbit(['list', '--store', url, '--format', 'json']);
    const { code, stderr } = await orbit.exited;

    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(orbit.records.map((job) => `${String(job.poolId)}/${String(job.jobId)}`)).toEqual(
      LISTED_IDS,
    );
    expect(orbit.records[1]).toEqual(DIGEST_JSON);
  });

  it('prints a table of one pool with --pool', async () => {
    const url = `${db.connectionString}?schema=${SCHEMA}`;
    const orbit = startOrbit(['list', '--store', url, '--pool', 'billing'], { json: false });
    const { code, stdout } = await orbit.exited;

    expect(code).toBe(0);
    const lines = stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^POOL +JOB +STATUS +OK +FAILED +LAST START +NEXT RUN/);
    expect(lines.slice(1)).toEqual([expect.stringMatching(INVOICE_ROW)]);
  });

  it('serves a dashboard with the jobs of the other processes too, from orbit run', async () => {
    const url = `${db.connectionString}?schema=${SCHEMA}`;
    const args = ['run', 'test/fixtures/cli/jobs.ts', '--store', url, '--dashboard', '127.0.0.1:0'];
    const orbit = startOrbit([...args, '--log-level', 'info']);
    const listening = await orbit.waitFor((record) => record.msg === 'dashboard listening');

    const answer = await fetch(new URL('/api/pools', String(listening.url)));
    const { pools } = (await answer.json()) as {
      pools: { id: string; elsewhere: boolean; jobs: { id: string; elsewhere: boolean }[] }[];
    };
    orbit.signal('SIGTERM');
    const { code } = await orbit.exited;

    expect(code).toBe(0);
    expect(pools.map((pool) => [pool.id, pool.elsewhere])).toEqual([
      ['fixture', false],
      ['billing', true],
      ['reports', true],
    ]);
    expect(pools[2]?.jobs.map((job) => job.id)).toEqual(['digest', 'export']);
  });
});
