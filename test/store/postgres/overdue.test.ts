import { describe, expect, it } from 'vitest';
import type { JobControl } from '../../../src/job/job-config.js';
import { STANDBY_MS } from '../../../src/store/postgres/members.js';
import { settle, useFleetSchema, type FleetStore } from '../../support/postgres-fleet.js';

/*
 * A process stands by for the ticks another process goes first for, and asks the database
 * once per look which ticks nobody claimed (`Store.overdue`): the ticks of a first choice
 * that is gone, and the runs whose lease ran out.
 */

const POOL_ID = 'fleet';
const INTERVAL_MS = 1_000;
const fleet = useFleetSchema('overdue');

/** Registers `jobId` in `pool`, first due at `dueAt`. */
async function register(store: FleetStore, jobId: string, dueAt: number, pool = POOL_ID) {
  await store.register(pool, { jobId, name: jobId, scheduleHash: 'h', firstDueAt: dueAt });
}

async function setRow(jobId: string, assignments: string): Promise<void> {
  await fleet.db.sql.query(
    `UPDATE ${fleet.schema}.jobs SET ${assignments} WHERE pool_id = $1 AND job_id = $2`,
    [POOL_ID, jobId],
  );
}

describe('the overdue question on PostgreSQL', () => {
  it('names the unclaimed ticks due by the instant asked and the lapsed leases, nothing else', async () => {
    const store = await fleet.openStore();
    const t0 = Date.UTC(2026, 0, 1);
    await register(store, 'late', t0 - 5_000);
    await register(store, 'just-due', t0);
    await register(store, 'not-yet', t0 + 700);
    await register(store, 'later', t0 + 9_000);
    await register(store, 'stopped', t0 - 5_000);
    await register(store, 'lapsed', t0 - 5_000);
    await register(store, 'held', t0 - 5_000);
    await register(store, 'other-pool', t0 - 5_000, 'another');
    await setRow('stopped', `status = 'stopped'`);
    await setRow(
      'lapsed',
      `lease_owner = 'gone:1:x', lease_expires_at = now() - interval '1 second', fence = 1`,
    );
    await setRow(
      'held',
      `lease_owner = 'live:1:x', lease_expires_at = now() + interval '20 seconds', fence = 1,
       run_tick = due_at`,
    );
    await register(store, 'held-new', t0 + 500);
    await setRow(
      'held-new',
      `lease_owner = 'live:1:x', lease_expires_at = now() + interval '20 seconds', fence = 1,
       run_tick = due_at`,
    );

    const found = await store.overdue(POOL_ID, t0);
    const named = Object.fromEntries(found.jobIds.map((jobId, i) => [jobId, found.dueAts[i]]));
    expect(named).toEqual({ late: t0 - 5_000, 'just-due': t0, lapsed: t0 - 5_000 });
    // A run of a tick due by then is live elsewhere; one of a later tick is too young to say.
    expect(found.runningIds).toEqual(['held']);
    expect(found.leaseEndsInMs).toBeGreaterThan(18_000);
    expect(found.leaseEndsInMs).toBeLessThanOrEqual(20_000);
  });

  it('answers nothing to look for in a pool with no job due or held', async () => {
    const store = await fleet.openStore();
    await register(store, 'ended', Date.UTC(2026, 0, 1));
    await setRow('ended', `status = 'ended'`);

    expect(await store.overdue(POOL_ID, Date.UTC(2030, 0, 1))).toEqual({
      jobIds: [],
      dueAts: [],
      runningIds: [],
      leaseEndsInMs: undefined,
    });
  });
});

describe('a process standing by for a first choice that is gone', () => {
  it('claims its ticks once they are 2 s overdue, then keeps them on time, asking little', async () => {
    const jobIds = Array.from({ length: 12 }, (_, i) => `job-${i}`);
    const store = await fleet.openStore();
    const pool = fleet.createPool(store, POOL_ID);
    const t0 = fleet.clock.now();
    const runs: [jobId: string, scheduledAt: number, atMs: number][] = [];
    for (const id of jobIds) {
      pool.addJob({
        id,
        interval: { time: INTERVAL_MS },
        startAt: t0 + INTERVAL_MS,
        fn: (ctrl: JobControl) => {
          runs.push([id, ctrl.scheduledAt.getTime(), fleet.clock.now()]);
        },
      });
    }
    pool.run();
    await settle(fleet.clock, 'the jobs registered', () => store.idle);

    // A member row of a process that died a moment ago: until the row lapses, this
    // process ranks it first for some of the jobs.
    await fleet.db.sql.query(
      `INSERT INTO ${fleet.schema}.members (pool_id, owner) VALUES ($1, 'gone:1:dead')`,
      [POOL_ID],
    );
    await fleet.db.sql.query(`SELECT pg_notify($1, $2)`, [
      `orbit:${fleet.schema}`,
      JSON.stringify({ pool: POOL_ID, members: true }),
    ]);
    const standsBy = (id: string) => store.standby(POOL_ID, id) > 0;
    await settle(fleet.clock, 'the gone member ranked', () => jobIds.some(standsBy));
    const theirs = jobIds.filter(standsBy);
    const mine = jobIds.filter((id) => !standsBy(id));

    const first = t0 + INTERVAL_MS;
    const lateAt = first + STANDBY_MS;
    const fourth = t0 + 4 * INTERVAL_MS;
    const ran = (id: string, scheduledAt: number) =>
      runs.some(([jobId, at]) => jobId === id && at === scheduledAt);
    // Moves the clock to `atMs` and lets the runs `due` happen and end. A claim handed back
    // by a look goes out on the pool's next timer, up to a few (fake) milliseconds later:
    // the clock then moves on a millisecond at a time.
    const step = async (atMs: number, due: [string, number][]) => {
      await fleet.clock.tick(Math.max(0, atMs - fleet.clock.now()));
      const done = () => {
        const states = Object.values(pool.getMetrics()) as { status: string }[];
        const ended = states.every((state) => state.status !== 'running');
        return due.every(([id, tick]) => ran(id, tick)) && ended && store.idle;
      };
      for (let ms = 0; ; ms++) {
        try {
          await settle(fleet.clock, `the runs due by ${atMs - t0} ms`, done, 500);
          return;
        } catch (error) {
          if (ms === 5) throw error;
        }
        await fleet.clock.tick(1);
      }
    };
    const each = (ids: string[], tick: number) => ids.map((id): [string, number] => [id, tick]);
    for (const k of [1, 2, 3]) await step(t0 + k * INTERVAL_MS, each(mine, t0 + k * INTERVAL_MS));
    await step(lateAt, each(theirs, first));
    await step(fourth, each(jobIds, fourth));

    const ranOf = (id: string) => runs.filter(([jobId]) => jobId === id).map(([, ...r]) => r);
    const soonAfter = (ms: number): number =>
      expect.toSatisfy(
        (atMs: number) => atMs >= ms && atMs <= ms + 5,
        `at ${ms - t0} ms`,
      ) as number;
    for (const id of mine) {
      expect(ranOf(id), id).toEqual(
        [1, 2, 3, 4].map((k) => [t0 + k * INTERVAL_MS, soonAfter(t0 + k * INTERVAL_MS)]),
      );
    }
    // The first tick of each of the gone member's jobs ran late by the standby time, the
    // ticks that fell due meanwhile were passed over (on record), and the next one ran on
    // time here.
    for (const id of theirs) {
      expect(ranOf(id), id).toEqual([
        [first, soonAfter(lateAt)],
        [fourth, soonAfter(fourth)],
      ]);
    }
    const { rows } = await fleet.db.sql.query<{ skipped: number }>(
      `SELECT skipped_before AS skipped FROM ${fleet.schema}.runs
        WHERE job_id = $1 AND scheduled_at = $2`,
      [theirs[0], new Date(fourth)],
    );
    expect(rows).toEqual([{ skipped: 2 }]);
    expect(store.overdueAsked).toBeGreaterThan(0);
    expect(store.overdueAsked).toBeLessThanOrEqual(2);
    const lost = store.claims.filter((claim) => !claim.won);
    expect(lost).toEqual([]);
  });
});
