import { describe, expect, it } from 'vitest';
import pg from 'pg';
import type { MovedJobs, StoreWatcher } from '../../../src/store/store.js';
import { settle, useFleetSchema, type FleetStore } from '../../support/postgres-fleet.js';

/*
 * When a process ends runs of a pool that other processes share, one statement writes the
 * ends and announces where each job moved to, so that the processes standing by for those
 * jobs need not claim their ticks. A batch of a thousand run ends does not fit in one
 * notification (PostgreSQL refuses payloads of 8000 bytes or more): the jobs are spread
 * over as many as needed.
 */

const POOL_ID = 'announced';
/** Long ago, so that every tick is due by the database's clock. */
const T0 = Date.UTC(2020, 0, 1);

describe('the jobs a batch of run ends moved on', () => {
  const fleet = useFleetSchema('moved');

  /** Two processes in the pool: the runner ends runs, the other hears where jobs went. */
  async function twoProcesses(heard: MovedJobs[], heardByRunner: MovedJobs[] = []) {
    const runner = await fleet.openStore();
    const other = await fleet.openStore();
    const listen = (store: FleetStore, movedOn: StoreWatcher['movedOn']) =>
      store.watch(POOL_ID, {
        changed: () => undefined,
        runLost: () => undefined,
        membersChanged: () => undefined,
        movedOn,
      });
    listen(runner, (moved) => heardByRunner.push(moved));
    listen(other, (moved) => heard.push(moved));
    await settle(fleet.clock, 'the runner to see the other', () =>
      Array.from({ length: 20 }, (_, i) => `probe-${i}`).some(
        (jobId) => runner.standby(POOL_ID, jobId) > 0,
      ),
    );
    return runner;
  }

  /** Registers, claims and ends one run of each job in one statement per step. */
  async function runOnce(store: FleetStore, jobIds: readonly string[]): Promise<void> {
    await Promise.all(
      jobIds.map((jobId) =>
        store.register(POOL_ID, { jobId, name: jobId, scheduleHash: 'h', firstDueAt: T0 }),
      ),
    );
    const claims = await Promise.all(
      jobIds.map((jobId) => store.claim(POOL_ID, { jobId, scheduledAt: T0, startedAt: T0 })),
    );
    const written = await Promise.all(
      claims.map((claim, index) =>
        store.complete(POOL_ID, {
          jobId: jobIds[index] as string,
          fence: claim.job?.fence ?? -1,
          endedAt: T0 + 10,
          outcome: index % 3 === 0 ? 'failure' : 'success',
          error: undefined,
          status: 'waiting',
          dueAt: T0 + 60_000 + index,
          success: index % 3 === 0 ? 0 : 1,
          failure: index % 3 === 0 ? 1 : 0,
          retriesUsed: 0,
          data: {},
        }),
      ),
    );
    expect(written.every(Boolean)).toBe(true);
  }

  it('reach the other processes whole, spread over notifications that fit', async () => {
    // What a connection of its own hears on the channel: each message's size, and the
    // number of jobs all of them carry.
    const payloads: number[] = [];
    let jobsInPayloads = 0;
    const listener = new pg.Client({ connectionString: fleet.db.connectionString });
    await listener.connect();
    listener.on('notification', ({ payload = '' }) => {
      const message = JSON.parse(payload) as { moved?: MovedJobs };
      if (message.moved === undefined) return;
      payloads.push(Buffer.byteLength(payload));
      jobsInPayloads += message.moved.jobIds.length;
    });
    await listener.query(`LISTEN "orbit:${fleet.schema}"`);
    try {
      const heard: MovedJobs[] = [];
      const heardByRunner: MovedJobs[] = [];
      const runner = await twoProcesses(heard, heardByRunner);
      const jobIds = Array.from(
        { length: 600 },
        (_, i) => `report "${i}" for the east region \\ ünïcödé ${'x'.repeat(i % 40)}`,
      );
      await runOnce(runner, jobIds);

      const told = new Map<string, [number, number, number, number]>();
      await settle(fleet.clock, 'every job to be heard of', () => {
        for (const moved of heard.splice(0)) {
          moved.jobIds.forEach((jobId, i) =>
            told.set(jobId, [
              moved.fences[i] as number,
              moved.dueAts[i] as number,
              moved.successes[i] as number,
              moved.failures[i] as number,
            ]),
          );
        }
        return told.size === jobIds.length;
      });
      jobIds.forEach((jobId, index) => {
        const failed = index % 3 === 0 ? 1 : 0;
        expect(told.get(jobId)).toEqual([1, T0 + 60_000 + index, 1 - failed, failed]);
      });
      await settle(fleet.clock, 'every message on the channel', () => {
        return jobsInPayloads === jobIds.length;
      });
      // The runner's pools know where their jobs went: it does not read its own messages.
      expect(heardByRunner).toEqual([]);
      // About 140 bytes a job: a dozen or so notifications, each well filled.
      expect(payloads.length).toBeGreaterThan(5);
      expect(payloads.length).toBeLessThan(30);
      expect(Math.max(...payloads)).toBeLessThan(8000);
    } finally {
      await listener.end();
    }
  });

  it('leave out a job whose id is too long to announce, and announce the others', async () => {
    const heard: MovedJobs[] = [];
    const runner = await twoProcesses(heard);
    const long = 'L'.repeat(1_000);
    await runOnce(runner, ['short', long]);

    await settle(fleet.clock, 'the short one to be heard of', () =>
      heard.some((moved) => moved.jobIds.includes('short')),
    );
    expect(heard.flatMap((moved) => moved.jobIds)).not.toContain(long);
  });
});
