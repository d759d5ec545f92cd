import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, onTestFinished } from 'vitest';
import { PostgresStore } from '../../src/store/postgres/postgres-store.js';
import { SqliteStore } from '../../src/store/sqlite/index.js';
import { startOrbit } from '../support/orbit-process.js';
import { createTestDatabase } from '../support/postgres-database.js';
import { makeTempDir } from '../support/temp-dir.js';

// `orbit ... | head -n N` as real processes: the reader of standard output goes away while
// orbit still has lines to write.

const FIXTURE = 'test/fixtures/cli/jobs.ts';
const CLOSED_NOTE =
  'orbit: standard output is closed; the jobs go on without printing. ' +
  'Stop them with SIGINT or SIGTERM.\n';

let dir: ReturnType<typeof makeTempDir>;
let path: string;

beforeEach(() => {
  dir = makeTempDir('closed-output');
  path = join(dir.path, 'orbit.db');
});

afterEach(() => dir.remove());

/** Reads the file until `isDone` holds, for up to 10 s of real time. */
async function storeUntil(isDone: (store: SqliteStore) => boolean): Promise<boolean> {
  const store = new SqliteStore({ path });
  try {
    const giveUpAt = Date.now() + 10_000;
    while (!isDone(store)) {
      if (Date.now() > giveUpAt) return false;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    return true;
  } finally {
    store.close();
  }
}

function successesOf(store: SqliteStore, jobId: string): number {
  return store.listJobs().find((job) => job.jobId === jobId)?.success ?? 0;
}

describe('orbit run with its standard output closed', () => {
  it('keeps running its jobs, says so once on stderr, and stops on SIGTERM with 0', async () => {
    const orbit = startOrbit(['run', FIXTURE, '--store', `sqlite:${path}`], { headLines: 3 });
    // The log writes a line for every run: several runs later, the pipe has long failed.
    let ticks = 0;
    await storeUntil((store) => (ticks = successesOf(store, 'tick')) >= 1);
    const goesOn = await storeUntil((store) => successesOf(store, 'tick') >= ticks + 5);
    orbit.signal('SIGTERM');
    const { code, stdout, stderr } = await orbit.exited;

    expect(goesOn).toBe(true);
    expect(stdout.trimEnd().split('\n')).toHaveLength(3);
    expect(stderr).toBe(CLOSED_NOTE);
    expect(code).toBe(0);
  });
});

describe('orbit list and orbit next piped into a reader that stops early', () => {
  it('orbit list stops writing and exits with 0, quietly', async () => {
    const store = new SqliteStore({ path });
    // Far more than a pipe holds (64 KiB), so orbit is still writing when the reader goes.
    for (let index = 0; index < 3000; index++) {
      const jobId = `job-${String(index).padStart(4, '0')}`;
      store.register('bulk', { jobId, name: jobId, scheduleHash: 'h', firstDueAt: 0 });
    }
    store.close();

    const table = startOrbit(['list', '--store', `sqlite:${path}`], { json: false, headLines: 3 });
    const json = startOrbit(['list', '--store', `sqlite:${path}`, '--format', 'json'], {
      headLines: 2,
    });
    const [tableEnd, jsonEnd] = await Promise.all([table.exited, json.exited]);

    expect(tableEnd.stdout.split('\n').slice(1, 3)).toEqual([
      expect.stringMatching(/^bulk +job-0000 +waiting /),
      expect.stringMatching(/^bulk +job-0001 +waiting /),
    ]);
    expect([tableEnd.code, tableEnd.stderr]).toEqual([0, '']);
    expect(json.records.map((job) => job.jobId)).toEqual(['job-0000', 'job-0001']);
    expect([jsonEnd.code, jsonEnd.stderr]).toEqual([0, '']);
  });

  it('orbit list on PostgreSQL, whose close takes a while, exits with 0, quietly', async () => {
    const db = await createTestDatabase();
    onTestFinished(() => db.drop());
    const store = new PostgresStore({ connectionString: db.connectionString, schema: 'bulk' });
    for (let index = 0; index < 1500; index++) {
      const jobId = `job-${String(index).padStart(4, '0')}`;
      await store.register('bulk', { jobId, name: jobId, scheduleHash: 'h', firstDueAt: 0 });
    }
    await store.close();

    const url = `${db.connectionString}?schema=bulk`;
    const orbit = startOrbit(['list', '--store', url, '--format', 'json'], { headLines: 2 });
    const { code, stderr } = await orbit.exited;

    expect(orbit.records.map((job) => job.jobId)).toEqual(['job-0000', 'job-0001']);
    expect([code, stderr]).toEqual([0, '']);
  });

  it('orbit next exits with 0, quietly, when nobody reads at all', async () => {
    const orbit = startOrbit(['next', '* * * * * *', '-n', '1000'], {
      json: false,
      headLines: 0,
    });
    const { code, stdout, stderr } = await orbit.exited;

    expect([code, stdout, stderr]).toEqual([0, '', '']);
  });
});
