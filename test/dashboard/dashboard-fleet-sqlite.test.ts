import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Orbit } from '../../src/orbit.js';
import { SqliteStore } from '../../src/store/sqlite/index.js';
import { startOrbit, type OrbitProcess } from '../support/orbit-process.js';
import { makeTempDir } from '../support/temp-dir.js';
import { jobIn, openDashboard, snapshotUntil } from './support.js';

// One SQLite file, two processes on the real clock: `orbit run` as a child process runs
// pool `fixture`, and this process reads the file beside it, or runs a pool of its own.

const FIXTURE = 'test/fixtures/cli/jobs.ts';

let dir: ReturnType<typeof makeTempDir>;
let path: string;
let child: OrbitProcess | undefined;

beforeEach(() => {
  dir = makeTempDir('fleet-sqlite');
  path = join(dir.path, 'orbit.db');
});

afterEach(async () => {
  child?.signal('SIGTERM');
  await child?.exited;
  child = undefined;
  dir.remove();
});

function runFixture(...more: string[]): OrbitProcess {
  child = startOrbit(['run', FIXTURE, '--store', `sqlite:${path}`, '--log-level', 'info', ...more]);
  return child;
}

describe('a dashboard on a SQLite file that another process runs', () => {
  it('shows, from a reader beside it, the jobs that process runs and their runs', async () => {
    await runFixture().waitFor((record) => record.msg === 'orbit running');
    const store = new SqliteStore({ path });
    try {
      const dashboard = await openDashboard({ pools: [], fleet: store, fleetRefresh: '100ms' });

      const snapshot = await snapshotUntil(
        dashboard.url,
        (s) => (jobIn(s, 'fixture', 'tick')?.success ?? 0) >= 2,
      );

      expect(snapshot.pools.map((pool) => [pool.id, pool.elsewhere])).toEqual([['fixture', true]]);
      const tick = jobIn(snapshot, 'fixture', 'tick');
      expect(tick?.elsewhere).toBe(true);
      expect(tick?.success).toBeGreaterThanOrEqual(2);
      expect(tick?.recentRuns.length).toBeGreaterThanOrEqual(2);
      expect(tick?.lastRun?.startedAt).toMatch(/^\d{4}-\d\d-\d\dT/);
      expect(jobIn(snapshot, 'fixture', 'slow')).toMatchObject({ elsewhere: true });
    } finally {
      store.close();
    }
  });

  it('is what orbit run --dashboard shows beside its own pool', async () => {
    const listening = await runFixture('--dashboard', '127.0.0.1:0').waitFor(
      (record) => record.msg === 'dashboard listening',
    );
    const store = new SqliteStore({ path });
    const billing = new Orbit().createPool({ id: 'billing', store });
    billing.addJob({ id: 'invoice', interval: { time: 150 }, fn: () => undefined });
    billing.run();
    try {
      const snapshot = await snapshotUntil(
        new URL('/', String(listening.url)).href,
        (s) => (jobIn(s, 'billing', 'invoice')?.success ?? 0) >= 1,
      );

      expect(snapshot.pools.map((pool) => [pool.id, pool.elsewhere])).toEqual([
        ['fixture', false],
        ['billing', true],
      ]);
      expect(jobIn(snapshot, 'billing', 'invoice')).toMatchObject({ elsewhere: true });
      expect(jobIn(snapshot, 'fixture', 'tick')).toMatchObject({ elsewhere: false });
    } finally {
      await billing.kill();
      store.close();
    }
  });
});
