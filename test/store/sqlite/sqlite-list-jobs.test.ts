import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqliteStore } from '../../../src/store/sqlite/index.js';
import { expectOrbitError } from '../../support/expect-error.js';
import { startOrbit } from '../../support/orbit-process.js';
import { makeTempDir } from '../../support/temp-dir.js';
import * as listing from '../listing-cases.js';

let dir: ReturnType<typeof makeTempDir>;
let path: string;
/** Two openings of one file, as two processes have them. */
let here: SqliteStore;
let elsewhere: SqliteStore;

beforeAll(async () => {
  dir = makeTempDir('sqlite-list');
  path = join(dir.path, 'orbit.db');
  here = new SqliteStore({ path });
  elsewhere = new SqliteStore({ path });

  // This process runs `reports`; another one runs `billing` on the same file.
  await listing.seedDigest(here);
  here.register('reports', listing.definition('export', listing.T0 + 30_000));
  await listing.seedInvoice(elsewhere);
});

afterAll(() => {
  here.close();
  elsewhere.close();
  dir.remove();
});

describe('SqliteStore.listJobs', () => {
  it('lists the jobs of every process that shares the file, by pool and job id', () => {
    const jobs = here.listJobs();

    expect(jobs.map((job) => `${job.poolId}/${job.jobId}`)).toEqual(listing.LISTED_IDS);
    expect(jobs[0]).toMatchObject({ status: 'running', fence: 1, lastStartAt: listing.T0 + 1 });
    expect(jobs[1]).toEqual({
      ...listing.DIGEST,
      scheduleHash: 'every-minute-digest',
      retriesUsed: 1,
    });
    expect(jobs[2]).toMatchObject({ status: 'waiting', dueAt: listing.T0 + 30_000, fence: 0 });
  });

  it('lists the jobs of one pool when asked', () => {
    expect(elsewhere.listJobs({ poolId: 'reports' }).map((job) => job.jobId)).toEqual([
      'digest',
      'export',
    ]);
    expect(here.listJobs({ poolId: 'nobody' })).toEqual([]);
  });

  it('refuses a filter it does not know with INVALID_CONFIG', () => {
    const filter = { pool: 'reports' } as unknown as { poolId: string };
    const error = expectOrbitError(() => here.listJobs(filter), 'INVALID_CONFIG');

    expect(error.message).toBe("listJobs has no option 'pool'; known: poolId");
    expectOrbitError(() => here.listJobs({ poolId: 7 as unknown as string }), 'INVALID_CONFIG');
  });

  it('says STORE_UNAVAILABLE once the file is closed', () => {
    const closed = new SqliteStore({ path });
    closed.close();

    expectOrbitError(() => closed.listJobs(), 'STORE_UNAVAILABLE');
  });
});

describe('orbit list on SQLite, as a process', () => {
  it('prints the jobs as JSON lines, one pool with --pool', async () => {
    const orbit = startOrbit(['list', '--store', `sqlite:${path}`, '--format', 'json']);
    const { code, stderr } = await orbit.exited;
    const billing = startOrbit(['list', '--store', `sqlite:${path}`, '--pool', 'billing'], {
      json: false,
    });
    const table = await billing.exited;

    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(orbit.records.map((job) => `${String(job.poolId)}/${String(job.jobId)}`)).toEqual(
      listing.LISTED_IDS,
    );
    expect(orbit.records[1]).toEqual(listing.DIGEST_JSON);
    expect(table.code).toBe(0);
    expect(table.stdout.trimEnd().split('\n')).toEqual([
      expect.stringMatching(/^POOL +JOB +STATUS +OK +FAILED +LAST START +NEXT RUN +LAST ERROR$/),
      expect.stringMatching(listing.INVOICE_ROW),
    ]);
  });

  it('lists what orbit run left in the file, in a table and as JSON', async () => {
    const run = join(dir.path, 'after-run.db');
    const store = `sqlite:${run}`;
    const ran = await startOrbit(['run', 'test/fixtures/cli/jobs-ending.mjs', '--store', store])
      .exited;
    const table = await startOrbit(['list', '--store', store], { json: false }).exited;
    const json = startOrbit(['list', '--store', store, '--format', 'json']);
    const listed = await json.exited;

    expect(ran.code).toBe(0);
    expect([table.code, table.stderr, listed.code, listed.stderr]).toEqual([0, '', 0, '']);
    expect(table.stdout.trimEnd().split('\n')).toEqual([
      expect.stringMatching(/^POOL +JOB +STATUS +OK +FAILED +LAST START +NEXT RUN +LAST ERROR$/),
      expect.stringMatching(
        /^nightly +flaky +ended +0 +2 +\d{4}-\S+Z +- +JOB_EXECUTION: job 'flaky' failed: disk full$/,
      ),
      expect.stringMatching(/^nightly +report +ended +1 +0 +\d{4}-\S+Z +-$/),
    ]);
    expect(json.records).toEqual([
      expect.objectContaining({
        poolId: 'nightly',
        jobId: 'flaky',
        status: 'ended',
        nextRunAt: null,
        success: 0,
        failure: 2,
        fence: 2,
        lastError: { code: 'JOB_EXECUTION', message: "job 'flaky' failed: disk full" },
      }),
      expect.objectContaining({
        poolId: 'nightly',
        jobId: 'report',
        status: 'ended',
        success: 1,
        fence: 1,
        lastError: null,
        data: { rows: 3 },
      }),
    ]);
  });

  it('refuses a SQLite path where there is no file, rather than create one', async () => {
    const missing = join(dir.path, 'typo.db');
    const { code, stdout, stderr } = await startOrbit(['list', '--store', `sqlite:${missing}`])
      .exited;

    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toBe(`orbit: STORE_UNAVAILABLE: there is no SQLite file at ${missing}\n`);
    expect(existsSync(missing)).toBe(false);
  });
});
