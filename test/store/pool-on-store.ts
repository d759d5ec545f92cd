import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Orbit } from '../../src/orbit.js';
import type {
  JobConfig,
  JobControl,
  MisfirePolicy,
  RetryConfig,
} from '../../src/job/job-config.js';
import type { RunMissedEvent } from '../../src/events/pool-events.js';
import type { Pool } from '../../src/pool/pool.js';
import type { Store } from '../../src/store/store.js';
import { createFakeClock, type FakeClock } from '../support/fake-clock.js';

/** A store that can be opened again as a restarted process would. */
export interface RestartableStore {
  /** Opens the store; each call after the first is a restart on the same data. */
  open(): Store;
  /**
   * Whether a store opened again takes the runs that an earlier opening left live as lost,
   * as after a crash (durable stores do; one shared in-memory store cannot tell).
   */
  readonly seesCrashes: boolean;
  cleanup(): void;
}

const POOL_ID = 'reports';
const SECOND = 1000;

/**
 * What a user sees when a pool on `name`'s store is killed and created again with the
 * same jobs: the jobs go on where they were. Every "restart" opens the store afresh.
 */
export function describePoolOnStore(name: string, makeStore: () => RestartableStore): void {
  describe(`a pool on ${name} across restarts`, () => {
    let clock: FakeClock;
    let backing: RestartableStore;
    let opened: Store[];
    let pool: Pool;
    let pools: Pool[];
    let runs: { jobId: string; scheduledAt: number; fence: number }[];
    let missed: RunMissedEvent[];
    /** The counts of the `run:skipped` events. */
    let skipped: number[];

    beforeEach(() => {
      clock = createFakeClock();
      backing = makeStore();
      opened = [];
      pools = [];
      runs = [];
      missed = [];
      skipped = [];
    });

    afterEach(async () => {
      for (const each of pools) await each.kill({ timeout: 0 });
      for (const store of opened) await store.close();
      backing.cleanup();
    });

    function job(overrides: Partial<JobConfig> = {}): JobConfig {
      return {
        id: 'tick',
        fn: (ctrl: JobControl) => {
          runs.push({
            jobId: ctrl.jobId,
            scheduledAt: ctrl.scheduledAt.getTime(),
            fence: ctrl.fence,
          });
        },
        interval: { time: SECOND },
        ...overrides,
      };
    }

    /** Starts a process: a pool on a freshly opened store, with `jobs`, running. */
    function start(...jobs: JobConfig[]): Pool {
      const store = backing.open();
      opened.push(store);
      pool = new Orbit({ clock }).createPool({ id: POOL_ID, store });
      pools.push(pool);
      pool.on('run:missed', (event) => missed.push(event));
      pool.on('run:skipped', (event) => skipped.push(event.count));
      for (const config of jobs) pool.addJob(config);
      pool.run();
      return pool;
    }

    async function restart(...jobs: JobConfig[]): Promise<Pool> {
      await pool.kill();
      return start(...jobs);
    }

    it('goes on where the job was: same counts, same grid, nothing fired again', async () => {
      const t0 = clock.now();
      start(job());
      await clock.tick(2 * SECOND + 500);
      expect(runs.map((run) => run.scheduledAt)).toEqual([t0, t0 + SECOND, t0 + 2 * SECOND]);

      await restart(job());
      await clock.tick(0);
      expect(runs).toHaveLength(3);
      expect(pool.getMetrics().tick).toMatchObject({ success: 3, status: 'waiting' });

      await clock.tick(SECOND);
      expect(runs.map((run) => run.scheduledAt).slice(3)).toEqual([t0 + 3 * SECOND]);
    });

    it('hands each run a fence that keeps growing across restarts', async () => {
      start(job());
      await clock.tick(SECOND + 500);
      await restart(job());
      await clock.tick(SECOND);

      expect(runs.map((run) => run.fence)).toEqual([1, 2, 3]);
    });

    it('starts a job whose schedule changed on its new schedule', async () => {
      const t0 = clock.now();
      start(job());
      await clock.tick(500);

      await restart(job({ interval: { time: 10 * SECOND }, startAt: t0 + 5 * SECOND }));
      await clock.tick(20 * SECOND);

      expect(runs.map((run) => run.scheduledAt)).toEqual([t0, t0 + 5 * SECOND, t0 + 15 * SECOND]);
      expect(pool.getMetrics().tick?.success).toBe(3);
    });

    it('keeps a stopped job stopped until it is resumed', async () => {
      start(job());
      await clock.tick(500);
      pool.stopJob('tick');

      await restart(job());
      await clock.tick(5 * SECOND);
      expect(runs).toHaveLength(1);
      expect(pool.getMetrics().tick?.status).toBe('stopped');

      pool.resumeJob('tick');
      await clock.tick(SECOND);
      expect(runs).toHaveLength(2);
    });

    it('keeps an ended job ended', async () => {
      start(job({ fn: () => Promise.reject(new Error('no')) }));
      await clock.tick(500);
      expect(pool.getMetrics().tick?.status).toBe('ended');

      await restart(job());
      await clock.tick(5 * SECOND);

      expect(runs).toHaveLength(0);
      expect(pool.getMetrics().tick).toMatchObject({ status: 'ended', failure: 1 });
    });

    it("shows the last run's data and error after a restart", async () => {
      let calls = 0;
      const failing = job({
        retry: { active: true },
        fn: (ctrl) => {
          ctrl.saveData({ call: ++calls });
          throw new Error('disk full');
        },
      });
      start(failing);
      await clock.tick(500);

      await restart(failing);
      await clock.tick(0);

      const state = pool.getMetrics().tick;
      expect(state?.data).toEqual({ call: 1 });
      expect(state?.error.jobError).toMatchObject({ code: 'JOB_EXECUTION' });
      expect(state?.error.jobError?.message).toMatch(/disk full/);
    });

    it('spends the tick of a run that kill cut short, and keeps the job waiting', async () => {
      const t0 = clock.now();
      const hanging = job({
        fn: (ctrl) => {
          runs.push({
            jobId: ctrl.jobId,
            scheduledAt: ctrl.scheduledAt.getTime(),
            fence: ctrl.fence,
          });
          return new Promise(() => undefined);
        },
      });
      start(hanging);
      await clock.tick(500);
      const killing = pool.kill({ timeout: 100 });
      await clock.tick(100);
      await killing;
      const stored = await (opened[0] as Store).job(POOL_ID, 'tick');
      expect(stored?.lastError).toMatchObject({ code: 'POOL_SHUTDOWN' });

      await restart(job());
      await clock.tick(0);
      expect(pool.getMetrics().tick).toMatchObject({ status: 'waiting', success: 0, failure: 0 });

      await clock.tick(SECOND);
      expect(runs.map((run) => run.scheduledAt)).toEqual([t0, t0 + SECOND]);
      expect(runs.map((run) => run.fence)).toEqual([1, 2]);
    });

    const retries: [string, RetryConfig | undefined][] = [
      ['retries left', { active: true }],
      ['no retry', undefined],
    ];
    it.for(retries)(
      'keeps a pause that was on when the process died, and fails its run with RUN_LOST (%s)',
      async ([, retry], context) => {
        if (!backing.seesCrashes) return context.skip();
        const t0 = clock.now();
        const pausing = job({
          retry,
          fn: async (ctrl) => {
            await clock.sleep(100);
            await ctrl.checkpoint();
          },
        });
        start(pausing);
        await clock.tick(0);
        pool.pauseJob('tick');
        await clock.tick(100);

        start(job({ retry }));
        await clock.tick(0);
        const state = pool.getMetrics().tick;
        expect(state).toMatchObject({ status: 'paused', failure: 1, success: 0 });
        expect(state?.error.jobError).toMatchObject({ code: 'RUN_LOST' });

        await clock.tick(5 * SECOND);
        expect(runs).toEqual([]);
        pool.resumeJob('tick');
        await clock.tick(SECOND);
        expect(runs.map((run) => run.fence)).toEqual([2]);
        expect(runs[0]?.scheduledAt).toBe(t0 + 6 * SECOND);
      },
    );

    describe('after downtime', () => {
      async function missTicks(
        misfire: MisfirePolicy,
        count = 10,
        overrides: Partial<JobConfig> = {},
      ): Promise<number> {
        const t0 = clock.now();
        const config = job({ misfire, ...overrides });
        start(config);
        await clock.tick(500);
        await pool.kill();
        clock.jumpTo(t0 + count * SECOND + 500);
        runs = [];
        missed = [];
        start(config);
        return t0;
      }

      /** The missed ticks reported, as offsets from `t0` in seconds. */
      function missedSpans(t0: number) {
        return missed.map(({ reason, count, firstAt, lastAt }) => ({
          reason,
          count,
          first: (firstAt.getTime() - t0) / SECOND,
          last: (lastAt.getTime() - t0) / SECOND,
        }));
      }

      it("runs once for all missed ticks, serving the latest, with 'once'", async () => {
        const t0 = await missTicks('once');
        await clock.tick(0);
        expect(runs.map((run) => run.scheduledAt)).toEqual([t0 + 10 * SECOND]);
        expect(missedSpans(t0)).toEqual([{ reason: 'misfire', count: 9, first: 1, last: 9 }]);

        await clock.tick(SECOND);
        expect(runs.map((run) => run.scheduledAt)).toEqual([t0 + 10 * SECOND, t0 + 11 * SECOND]);
      });

      it("runs none of the missed ticks with 'skip'", async () => {
        const t0 = await missTicks('skip');
        await clock.tick(0);
        expect(runs).toEqual([]);
        expect(missedSpans(t0)).toEqual([{ reason: 'misfire', count: 10, first: 1, last: 10 }]);

        await clock.tick(SECOND);
        expect(runs.map((run) => run.scheduledAt)).toEqual([t0 + 11 * SECOND]);
      });

      it("runs each missed tick in turn with 'all', and reports none of them missed", async () => {
        const t0 = await missTicks('all');
        await clock.tick(0);

        const caughtUp = Array.from({ length: 10 }, (_, index) => t0 + (index + 1) * SECOND);
        expect(runs.map((run) => run.scheduledAt)).toEqual(caughtUp);
        await clock.tick(SECOND);
        expect(runs.at(-1)?.scheduledAt).toBe(t0 + 11 * SECOND);
        expect(missed).toEqual([]);
      });

      const afterLostRun: [MisfirePolicy, number[], ReturnType<typeof missedSpans>][] = [
        ['once', [10], [{ reason: 'misfire', count: 9, first: 1, last: 9 }]],
        ['skip', [], [{ reason: 'misfire', count: 10, first: 1, last: 10 }]],
        ['all', [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], []],
      ];
      it.for(afterLostRun)(
        "applies '%s' to the ticks after a run lost with its process, as to a waiting job's",
        async ([misfire, ran, missedAfter], context) => {
          if (!backing.seesCrashes) return context.skip();
          const t0 = clock.now();
          const retry = { active: true };
          // The process dies in the middle of its first run, and stays down for ten ticks.
          const endless = (ctrl: JobControl) =>
            new Promise<void>((resolve) => ctrl.signal.addEventListener('abort', () => resolve()));
          start(job({ misfire, retry, fn: endless }));
          await clock.tick(0);
          clock.jumpTo(t0 + 10 * SECOND + 500);
          runs = [];
          missed = [];

          skipped = [];
          start(job({ misfire, retry }));
          await clock.tick(0);

          // The ticks missed while down are the misfire policy's, reported once, as missed.
          expect(missedSpans(t0)).toEqual(missedAfter);
          expect(skipped).toEqual([]);
          // The lost run failed (a run since clears the error it shows).
          expect(pool.getMetrics().tick).toMatchObject({ failure: 1 });
          expect(runs.map((run) => (run.scheduledAt - t0) / SECOND)).toEqual(ran);
          await clock.tick(SECOND);
          expect(runs.at(-1)?.scheduledAt).toBe(t0 + 11 * SECOND);
        },
      );

      it('reports the ticks that fall due while catching up as skipped, once each', async () => {
        const fn = async (ctrl: JobControl) => {
          runs.push({ jobId: ctrl.jobId, scheduledAt: ctrl.scheduledAt.getTime(), fence: 0 });
          await clock.sleep(400);
        };
        const t0 = await missTicks('all', 10, { fn });
        const skipped: number[] = [];
        pool.on('run:skipped', (event) => skipped.push(event.firstAt.getTime() - t0));
        await clock.tick(4 * SECOND);

        expect(runs).toHaveLength(10);
        expect(skipped).toEqual([11, 12, 13, 14].map((seconds) => seconds * SECOND));
        expect(missed).toEqual([]);
        await clock.tick(SECOND);
        expect(runs.at(-1)?.scheduledAt).toBe(t0 + 15 * SECOND);
      });

      const cronMisses: [MisfirePolicy, number][] = [
        ['once', 9],
        ['skip', 10],
      ];
      it.for(cronMisses)(
        "reports the cron ticks that '%s' passes over as missed",
        async ([misfire, count]) => {
          const everySecond = { interval: undefined, cron: '* * * * * *' };
          const t0 = await missTicks(misfire, 10, everySecond);
          await clock.tick(0);

          expect(missedSpans(t0)).toEqual([{ reason: 'misfire', count, first: 1, last: count }]);
        },
      );

      it("reports as missed only the ticks beyond the catch-up limit with 'all'", async () => {
        const t0 = await missTicks('all', 150);
        await clock.tick(0);

        expect(runs).toHaveLength(100);
        expect(runs[0]?.scheduledAt).toBe(t0 + 51 * SECOND);
        expect(missedSpans(t0)).toEqual([{ reason: 'misfire', count: 50, first: 1, last: 50 }]);
      });
    });
  });
}
