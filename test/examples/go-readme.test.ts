/**
 * The examples of the Go library's README, written against this library's API, behave as
 * that README describes (and where it differs from the product contract, as the contract
 * says: a job out of retries ends and leaves the pool).
 */
import { describe, expect, it } from 'vitest';
import { JobStatus, type JobConfig, type JobControl, type JobHooks } from '../../src/index.js';
import type { FakeClock } from '../support/fake-clock.js';
import { expectCode, expectOrbitError } from '../support/expect-error.js';
import { createHarness, stateOf } from '../support/harness.js';
import { throwValue } from '../support/job-fns.js';

describe('Go README: concurrency control', () => {
  it('runs three 1-second jobs one after another with maxWorkers 1, in the order added', async () => {
    const { clock, orbit, t0 } = createHarness();
    const pool = orbit.createPool({ maxWorkers: 1, checkInterval: 50 });
    const output: string[] = [];
    const createJob = (id: string): JobConfig => ({
      id,
      name: `Job ${id}`,
      interval: { time: '1s' },
      fn: async () => {
        output.push(`[${id}] Started at ${clock.now() - t0}`);
        await clock.sleep(1_000);
        output.push(`[${id}] Finished at ${clock.now() - t0}`);
      },
    });

    orbit.addJob(pool, createJob('job1'));
    await clock.tick(100);
    orbit.addJob(pool, createJob('job2'));
    await clock.tick(100);
    orbit.addJob(pool, createJob('job3'));
    pool.run();
    await clock.tick(3_000);

    expect(output.slice(0, 6)).toEqual([
      '[job1] Started at 200',
      '[job1] Finished at 1200',
      '[job2] Started at 1200',
      '[job2] Finished at 2200',
      '[job3] Started at 2200',
      '[job3] Finished at 3200',
    ]);
  });
});

describe('Go README: lifecycle hooks', () => {
  /** The hooked job of the README: it syncs for 300 ms and then fails. */
  function hookedJob(clock: FakeClock, log: string[]): JobConfig {
    const logHook = (line: string) => ({ fn: () => log.push(line) });
    const hooks: JobHooks = {
      onStart: logHook('[hook] OnStart: job starting...'),
      onPause: logHook('[hook] OnPause: job paused'),
      onResume: logHook('[hook] OnResume: job resumed'),
      onStop: logHook('[hook] OnStop: job stopped'),
      onSuccess: logHook('[hook] OnSuccess: job succeeded'),
      onError: {
        fn: (_ctrl, error) => {
          const cause = error?.cause;
          log.push(`[hook] OnError: job failed: ${cause instanceof Error ? cause.message : ''}`);
        },
      },
      finally: logHook('[hook] Finally: job finished'),
    };

    return {
      id: 'hooked-job',
      name: 'Lifecycle Logging Demo',
      interval: { time: '1s' },
      fn: async () => {
        log.push('[main] syncing data...');
        await clock.sleep(300);
        throw new Error('sync failed');
      },
      hooks,
    };
  }

  it('logs onStart, the job, onError with the error, then finally', async () => {
    const { clock, pool } = createHarness();
    const log: string[] = [];

    pool.addJob(hookedJob(clock, log));
    pool.run();
    await clock.tick(5_000);

    expect(log).toEqual([
      '[hook] OnStart: job starting...',
      '[main] syncing data...',
      '[hook] OnError: job failed: sync failed',
      '[hook] Finally: job finished',
    ]);
    expect(stateOf(pool, 'hooked-job').status).toBe(JobStatus.Ended);
  });

  it('logs onPause, onResume and onStop on manual control', async () => {
    const { clock, pool } = createHarness();
    const log: string[] = [];

    pool.addJob(hookedJob(clock, log));
    pool.run();
    await clock.tick(100);
    pool.pauseJob('hooked-job', '10s');
    pool.resumeJob('hooked-job');
    pool.stopJob('hooked-job');
    await clock.tick(1_000);

    expect(log.filter((line) => !line.includes('Finally'))).toEqual([
      '[hook] OnStart: job starting...',
      '[main] syncing data...',
      '[hook] OnPause: job paused',
      '[hook] OnResume: job resumed',
      '[hook] OnStop: job stopped',
    ]);
  });
});

describe('Go README: retry scenarios', () => {
  it('fails no-retry once, three-retry four times, and infinite-retry on and on', async () => {
    const { clock, orbit } = createHarness();
    const pool = orbit.createPool({ maxWorkers: 3, checkInterval: 10 });
    const failFn = () => throwValue(new Error('oops, failed!'));
    const jobs: JobConfig[] = [
      { id: 'no-retry', fn: failFn, retry: { active: false }, interval: { time: 50 } },
      { id: 'three-retry', fn: failFn, retry: { active: true, count: 3 }, interval: { time: 50 } },
      {
        id: 'infinite-retry',
        fn: failFn,
        retry: { active: true, count: 0 },
        interval: { time: 50 },
      },
    ];

    pool.run();
    for (const job of jobs) orbit.addJob(pool, job);
    await clock.tick(600);

    expect(stateOf(pool, 'no-retry')).toMatchObject({ failure: 1, status: JobStatus.Ended });
    expect(stateOf(pool, 'three-retry')).toMatchObject({ failure: 4, status: JobStatus.Ended });
    const infinite = stateOf(pool, 'infinite-retry');
    expect(infinite.failure).toBeGreaterThanOrEqual(5);
    expect(infinite.status).not.toBe(JobStatus.Ended);
    await clock.tick(500);
    expect(stateOf(pool, 'infinite-retry').failure).toBeGreaterThan(infinite.failure);
  });

  it('removes the jobs that are out of retries from the pool', async () => {
    const { clock, orbit } = createHarness();
    const pool = orbit.createPool({ maxWorkers: 3, checkInterval: 10 });
    const failFn = () => throwValue(new Error('oops, failed!'));

    pool.run();
    orbit.addJob(pool, { id: 'no-retry', fn: failFn, interval: { time: 50 } });
    orbit.addJob(pool, {
      id: 'three-retry',
      fn: failFn,
      retry: { active: true, count: 3 },
      interval: { time: 50 },
    });
    await clock.tick(600);

    expectOrbitError(() => pool.stopJob('no-retry'), 'JOB_NOT_FOUND');
    expectOrbitError(() => pool.stopJob('three-retry'), 'JOB_NOT_FOUND');
  });

  it('resets the retry counter after a success with resetOnSuccess', async () => {
    const { clock, pool } = createHarness();
    let run = 0;

    pool.addJob({
      id: 'flaky',
      fn: () => {
        run += 1;
        if (run % 3 !== 0) throwValue(new Error('flaky'));
      },
      retry: { active: true, count: 2, resetOnSuccess: true },
      interval: { time: 50 },
    });
    pool.run();
    await clock.tick(1_000);

    expect(stateOf(pool, 'flaky').status).not.toBe(JobStatus.Ended);
    expect(stateOf(pool, 'flaky').success).toBe(7);
  });
});

describe('Go README: graceful kill', () => {
  it('cancels the long job, records it stopped with POOL_SHUTDOWN, and refuses to run again', async () => {
    const { clock, orbit } = createHarness();
    const pool = orbit.createPool({ maxWorkers: 1, checkInterval: 50 });
    const output: string[] = [];

    orbit.addJob(pool, {
      id: 'long-running-job',
      fn: (ctrl) =>
        new Promise((_resolve, reject) => {
          output.push('Job started');
          ctrl.signal.addEventListener('abort', () => {
            const reason = ctrl.signal.reason as Error & { code?: string };
            output.push(`Job canceled: ${reason.code ?? ''}`);
            reject(reason);
          });
        }),
      interval: { time: '1h' },
    });
    pool.run();
    await clock.tick(100);
    void pool.kill();
    await clock.tick(100);

    expect(output).toEqual(['Job started', 'Job canceled: POOL_SHUTDOWN']);
    const state = stateOf(pool, 'long-running-job');
    expect(state.status).toBe(JobStatus.Stopped);
    expectCode(state.error.jobError, 'POOL_SHUTDOWN');
    expectOrbitError(() => pool.stopJob('long-running-job'), 'JOB_NOT_FOUND');
    expectOrbitError(() => pool.run(), 'POOL_SHUTDOWN');
  });
});

/** The fake database of the batch upload example. */
class FakeDatabase {
  readonly #clock: FakeClock;
  readonly #rowCount: number;
  #inserted = 0;
  reconnects = 0;

  constructor(clock: FakeClock, rowCount: number) {
    this.#clock = clock;
    this.#rowCount = rowCount;
  }

  getRowCount(): number {
    return this.#rowCount;
  }

  /** Inserts up to `size` rows in 100 ms; returns how many. */
  async batchInsert(size: number): Promise<number> {
    await this.#clock.sleep(100);
    const count = Math.min(size, this.#rowCount - this.#inserted);
    this.#inserted += count;
    return count;
  }

  reconnect(): void {
    this.reconnects += 1;
  }
}

/** The weekly upload job of the README: batches of 1000 rows, pausable, stoppable. */
function weeklyUpload(db: FakeDatabase, output: string[]): JobConfig {
  const onStart = (ctrl: JobControl) => {
    ctrl.saveData({ rowCnt: db.getRowCount(), uploaded: 0 });
    output.push(`Job ${ctrl.jobId} started, row count: ${db.getRowCount()}`);
  };
  const mainFn = async (ctrl: JobControl) => {
    for (;;) {
      if (ctrl.pauseRequested) output.push('Paused... waiting for resume');
      if (await ctrl.checkpoint()) {
        output.push('Resumed, reconnecting to DB...');
        db.reconnect();
      }
      if (ctrl.signal.aborted) throw ctrl.signal.reason;

      const data = ctrl.getData();
      const total = data.rowCnt as number;
      const uploaded = (data.uploaded as number) + (await db.batchInsert(1_000));
      ctrl.saveData({ rowCnt: total, uploaded });
      if (uploaded >= total) {
        output.push('All data uploaded successfully.');
        return;
      }
    }
  };

  return {
    id: 'weekly-upload',
    name: 'Weekly DB Upload',
    fn: mainFn,
    hooks: { onStart: { fn: onStart } },
    cron: '0 20 * * 5',
    timezone: 'UTC',
  };
}

/** Friday 2 January 2026, 20:00 UTC: the first Friday after the fake clock's start. */
const FRIDAY_8PM_MS = Date.UTC(2026, 0, 2, 20);

describe('Go README: batch upload with saveData and getData', () => {
  it('uploads every row in batches on Friday at 20:00, keeping progress in its data', async () => {
    const { clock, pool } = createHarness();
    const db = new FakeDatabase(clock, 10_500);
    const output: string[] = [];
    pool.run();

    pool.addJob(weeklyUpload(db, output));
    await clock.tick(FRIDAY_8PM_MS - clock.now() + 550);
    expect(stateOf(pool, 'weekly-upload').data).toEqual({ rowCnt: 10_500, uploaded: 5_000 });
    await clock.tick(1_000);

    expect(output).toEqual([
      'Job weekly-upload started, row count: 10500',
      'All data uploaded successfully.',
    ]);
    const state = stateOf(pool, 'weekly-upload');
    expect(state.startAt).toEqual(new Date(FRIDAY_8PM_MS));
    expect(state.endAt).toEqual(new Date(FRIDAY_8PM_MS + 1_100));
    expect(state.data).toEqual({ rowCnt: 10_500, uploaded: 10_500 });
    expect(state.success).toBe(1);
    expect(state.nextRun).toEqual(new Date(FRIDAY_8PM_MS + 7 * 86_400_000));
  });

  it('pauses between batches and picks up where it left off after resume', async () => {
    const { clock, pool } = createHarness();
    const db = new FakeDatabase(clock, 10_500);
    const output: string[] = [];
    pool.addJob(weeklyUpload(db, output));
    pool.run();
    await clock.tick(FRIDAY_8PM_MS - clock.now() + 350);

    pool.pauseJob('weekly-upload', '10s');
    await clock.tick(60_000);
    expect(stateOf(pool, 'weekly-upload').status).toBe(JobStatus.Paused);
    expect(stateOf(pool, 'weekly-upload').data).toEqual({ rowCnt: 10_500, uploaded: 4_000 });
    pool.resumeJob('weekly-upload');
    await clock.tick(1_000);

    expect(output).toEqual([
      'Job weekly-upload started, row count: 10500',
      'Paused... waiting for resume',
      'Resumed, reconnecting to DB...',
      'All data uploaded successfully.',
    ]);
    expect(db.reconnects).toBe(1);
    expect(stateOf(pool, 'weekly-upload').data).toEqual({ rowCnt: 10_500, uploaded: 10_500 });
    expect(stateOf(pool, 'weekly-upload').success).toBe(1);
  });

  it('exits cleanly when stopped, without counting a failure', async () => {
    const { clock, pool } = createHarness();
    const db = new FakeDatabase(clock, 10_500);
    pool.addJob(weeklyUpload(db, []));
    pool.run();
    await clock.tick(FRIDAY_8PM_MS - clock.now() + 350);

    pool.stopJob('weekly-upload');
    await clock.tick(1_000);

    const state = stateOf(pool, 'weekly-upload');
    expect(state.status).toBe(JobStatus.Stopped);
    expect(state.failure).toBe(0);
    expect(state.data.uploaded).toBeLessThan(10_500);
  });

  it('starts from empty data again the next Friday', async () => {
    const { clock, pool } = createHarness();
    const db = new FakeDatabase(clock, 10_500);
    const seenAtStart: unknown[] = [];
    const job = weeklyUpload(db, []);
    const onStart = job.hooks?.onStart?.fn;
    pool.addJob({
      ...job,
      hooks: {
        onStart: {
          fn: (ctrl) => {
            seenAtStart.push(ctrl.getData());
            return onStart?.(ctrl);
          },
        },
      },
    });
    pool.run();
    await clock.tick(FRIDAY_8PM_MS - clock.now() + 7 * 86_400_000 + 100);

    expect(seenAtStart).toEqual([{}, {}]);
  });
});

describe('Go README: pause and resume with a timeout', () => {
  /** A run that never reaches a checkpoint: it just works for a minute. */
  function busyJob(clock: FakeClock, calls: string[]): JobConfig {
    return {
      id: 'weekly-upload',
      fn: () => clock.sleep(60_000),
      interval: { time: '1h' },
      hooks: {
        onPause: { fn: () => calls.push('onPause') },
        onResume: { fn: () => calls.push('onResume') },
      },
    };
  }

  it('takes the pause back after 10 seconds when the job never reaches a checkpoint', async () => {
    const { clock, pool } = createHarness();
    const calls: string[] = [];
    pool.addJob(busyJob(clock, calls));
    pool.run();
    await clock.tick(1_000);

    pool.pauseJob('weekly-upload', 10_000);
    await clock.tick(9_999);
    expect(stateOf(pool, 'weekly-upload').status).toBe(JobStatus.Paused);
    await clock.tick(1);

    expect(stateOf(pool, 'weekly-upload').status).toBe(JobStatus.Running);
    expect(calls).toEqual(['onPause']);
  });

  it('resumes early, before the pause timeout ends', async () => {
    const { clock, pool } = createHarness();
    const calls: string[] = [];
    pool.addJob(busyJob(clock, calls));
    pool.run();
    await clock.tick(1_000);

    pool.pauseJob('weekly-upload', '10s');
    await clock.tick(2_000);
    pool.resumeJob('weekly-upload');
    await clock.tick(20_000);

    expect(stateOf(pool, 'weekly-upload').status).toBe(JobStatus.Running);
    expect(calls).toEqual(['onPause', 'onResume']);
  });

  it('reports why a pause failed when the job is not running', () => {
    const { clock, pool } = createHarness();
    pool.addJob(busyJob(clock, []));

    expectOrbitError(() => pool.pauseJob('weekly-upload', '10s'), 'JOB_NOT_RUNNING');
  });
});
