import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresStore } from '../../../src/store/postgres/postgres-store.js';
import type { JobDefinition } from '../../../src/store/store.js';
import { expectRejection } from '../../support/expect-error.js';
import { startOrbit } from '../../support/orbit-process.js';
import { createTestDatabase, type TestDatabase } from '../../support/postgres-database.js';

const SCHEMA = 'listing';
const T0 = Date.UTC(2026, 0, 1, 12);

let db: TestDatabase;
/** Two processes' stores on one schema. */
let here: PostgresStore;
let elsewhere: PostgresStore;

function definition(jobId: string, firstDueAt: number): JobDefinition {
  return { jobId, name: jobId, scheduleHash: `every-minute-${jobId}`, firstDueAt };
}

beforeAll(async () => {
  db = await createTestDatabase();
  here = new PostgresStore({ connectionString: db.connectionString, schema: SCHEMA });
  elsewhere = new PostgresStore({ connectionString: db.connectionString, schema: SCHEMA });

  // This process runs `reports/digest` once, and it fails; another process has
  // `reports/export`, and a pool of its own, `billing`, with a run in progress.
  await here.register('reports', definition('digest', T0));
  await here.claim('reports', { jobId: 'digest', scheduledAt: T0, startedAt: T0 + 5 });
  await here.complete('reports', {
    jobId: 'digest',
    fence: 1,
    endedAt: T0 + 905,
    outcome: 'failure',
    error: { code: 'JOB_EXECUTION', message: 'disk full' },
    status: 'waiting',
    dueAt: T0 + 60_000,
    success: 0,
    failure: 1,
    retriesUsed: 1,
    data: { rows: 12 },
  });
  await elsewhere.register('reports', definition('export', T0 + 30_000));
  await elsewhere.register('billing', definition('invoice', T0));
  await elsewhere.claim('billing', { jobId: 'invoice', scheduledAt: T0, startedAt: T0 + 1 });
});

afterAll(async () => {
  await Promise.all([here.close(), elsewhere.close()]);
  await db.drop();
});

describe('PostgresStore.listJobs', () => {
  it('lists the jobs of every process that shares the schema, by pool and job id', async () => {
    const jobs = await here.listJobs();

    expect(jobs.map((job) => `${job.poolId}/${job.jobId}`)).toEqual([
      'billing/invoice',
      'reports/digest',
      'reports/export',
    ]);
    expect(jobs[0]).toMatchObject({ status: 'running', fence: 1, lastStartAt: T0 + 1 });
    expect(jobs[1]).toMatchObject({
      status: 'waiting',
      dueAt: T0 + 60_000,
      fence: 1,
      success: 0,
      failure: 1,
      lastStartAt: T0 + 5,
      lastEndAt: T0 + 905,
      lastError: { code: 'JOB_EXECUTION', message: 'disk full' },
      data: { rows: 12 },
    });
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
    expect(orbit.records.map((job) => `${String(job.poolId)}/${String(job.jobId)}`)).toEqual([
      'billing/invoice',
      'reports/digest',
      'reports/export',
    ]);
    expect(orbit.records[1]).toEqual({
      poolId: 'reports',
      jobId: 'digest',
      status: 'waiting',
      nextRunAt: new Date(T0 + 60_000).toISOString(),
      lastStartAt: new Date(T0 + 5).toISOString(),
      lastEndAt: new Date(T0 + 905).toISOString(),
      success: 0,
      failure: 1,
      fence: 1,
      lastError: { code: 'JOB_EXECUTION', message: 'disk full' },
      data: { rows: 12 },
    });
  });

  it('prints a table of one pool with --pool', async () => {
    const url = `${db.connectionString}?schema=${SCHEMA}`;
    const orbit = startOrbit(['list', '--store', url, '--pool', 'billing'], { json: false });
    const { code, stdout } = await orbit.exited;

    expect(code).toBe(0);
    const lines = stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^POOL +JOB +STATUS +OK +FAILED +LAST START +NEXT RUN/);
    expect(lines.slice(1)).toEqual([
      expect.stringMatching(/^billing +invoice +running +0 +0 +2026-01-01T12:00:00\.001Z /),
    ]);
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
