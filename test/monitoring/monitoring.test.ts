import { afterEach, describe, expect, it, vi } from 'vitest';
import { JobStatus, type Monitoring } from '../../src/index.js';
import { RecordingMonitoring, isSubsequence } from '../support/recording-monitoring.js';
import { expectOrbitError } from '../support/expect-error.js';
import { createHarness, intervalJob, stateOf } from '../support/harness.js';
import { RunRecorder, throwValue, untilAborted } from '../support/job-fns.js';

/** A monitoring whose every method throws. */
const throwingMonitoring: Monitoring = {
  saveMetrics: () => throwValue(new Error('metrics backend down')),
  getMetrics: () => ({}),
};

/** The executionTime values a monitoring saw while a run of `runMs` was going. */
async function refreshesDuringRun(checkInterval: string | undefined, runMs: number) {
  const monitoring = new RecordingMonitoring();
  const pool = checkInterval === undefined ? {} : { checkInterval };
  const harness = createHarness({ monitoring, pool });

  harness.pool.addJob(intervalJob('job', () => harness.clock.sleep(runMs), '1h'));
  harness.pool.run();
  await harness.clock.tick(runMs + 100);

  return monitoring
    .savesOf('job')
    .filter((s) => s.status === JobStatus.Running)
    .filter((s) => s.executionTime > 0 && s.executionTime < runMs)
    .map((s) => s.executionTime);
}

describe('monitoring', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('receives a waiting state when a job is added', () => {
    const monitoring = new RecordingMonitoring();
    const { pool } = createHarness({ monitoring });

    pool.addJob(intervalJob('job', () => undefined, '1s', { name: 'The job' }));

    const [first] = monitoring.savesOf('job');
    expect(first).toMatchObject({
      jobId: 'job',
      name: 'The job',
      status: JobStatus.Waiting,
      success: 0,
      failure: 0,
      executionTime: 0,
      data: {},
    });
    expect(first?.error.hookError).toEqual({});
  });

  it('sees a good run go waiting, running, completed, waiting', async () => {
    const monitoring = new RecordingMonitoring();
    const { clock, pool } = createHarness({ monitoring });

    pool.addJob(intervalJob('job', () => clock.sleep(100), '1s'));
    pool.run();
    await clock.tick(500);

    expect(monitoring.statusesOf('job')).toEqual(['waiting', 'running', 'completed', 'waiting']);
  });

  it('sees a failed run with retries left go running, error, waiting', async () => {
    const monitoring = new RecordingMonitoring();
    const { clock, pool } = createHarness({ monitoring });

    pool.addJob(
      intervalJob('job', () => throwValue(new Error('no')), '1s', {
        retry: { active: true, count: 0 },
      }),
    );
    pool.run();
    await clock.tick(500);

    expect(monitoring.statusesOf('job')).toEqual(['waiting', 'running', 'error', 'waiting']);
  });

  it('sees pause, resume, stop and resume of a stopped job', async () => {
    const monitoring = new RecordingMonitoring();
    const { clock, pool } = createHarness({ monitoring });
    pool.addJob(intervalJob('job', untilAborted, '1h'));
    pool.run();
    await clock.flush();

    pool.pauseJob('job', '10s');
    pool.resumeJob('job');
    pool.stopJob('job');
    pool.resumeJob('job');

    expect(
      isSubsequence(
        ['running', 'paused', 'running', 'stopped', 'waiting'],
        monitoring.statusesOf('job'),
      ),
    ).toBe(true);
  });

  it('sees the counts and times of each run', async () => {
    const monitoring = new RecordingMonitoring();
    const { clock, pool, t0 } = createHarness({ monitoring });

    pool.addJob(intervalJob('job', () => clock.sleep(200), '1s'));
    pool.run();
    await clock.tick(1_500);

    const completed = monitoring.savesOf('job').filter((s) => s.status === JobStatus.Completed);
    expect(completed.map((s) => [s.success, s.startAt, s.endAt, s.executionTime])).toEqual([
      [1, new Date(t0), new Date(t0 + 200), 200],
      [2, new Date(t0 + 1_000), new Date(t0 + 1_200), 200],
    ]);
  });

  it('gets a fresh executionTime every checkInterval while a job runs', async () => {
    const monitoring = new RecordingMonitoring();
    const { clock, pool } = createHarness({ monitoring, pool: { checkInterval: 100 } });

    pool.addJob(intervalJob('job', () => clock.sleep(1_000), '1h'));
    pool.run();
    await clock.tick(350);
    const midRun = stateOf(pool, 'job').executionTime;
    await clock.tick(1_000);

    expect(midRun).toBeGreaterThanOrEqual(300);
    expect(midRun).toBeLessThanOrEqual(350);
    const whileRunning = monitoring
      .savesOf('job')
      .filter((s) => s.status === JobStatus.Running)
      .map((s) => s.executionTime);
    expect(whileRunning.length).toBeGreaterThanOrEqual(9);
    expect(whileRunning).toEqual([...whileRunning].sort((a, b) => a - b));
    expect(whileRunning).toContain(500);
    expect(stateOf(pool, 'job').executionTime).toBe(1_000);
  });

  it('refreshes executionTime every 100 ms by default', async () => {
    expect(await refreshesDuringRun(undefined, 450)).toEqual([100, 200, 300, 400]);
  });

  it('reads checkInterval as a duration string', async () => {
    expect(await refreshesDuringRun('250ms', 1_000)).toEqual([250, 500, 750]);
  });

  it('clears the errors of the last run when a new run starts', async () => {
    const { clock, pool } = createHarness();
    let run = 0;

    pool.addJob(
      intervalJob(
        'job',
        async () => {
          run += 1;
          if (run === 1) throw new Error('first run fails');
          await clock.sleep(500);
        },
        '1s',
        { retry: { active: true, count: 0 } },
      ),
    );
    pool.run();
    await clock.tick(500);
    expect(stateOf(pool, 'job').error.jobError).toBeDefined();
    await clock.tick(600);

    expect(stateOf(pool, 'job').status).toBe(JobStatus.Running);
    expect(stateOf(pool, 'job').error.jobError).toBeUndefined();
    expect(stateOf(pool, 'job').failure).toBe(1);
  });

  it('returns what the monitoring returns from pool.getMetrics', () => {
    const monitoring = new RecordingMonitoring();
    const { pool } = createHarness({ monitoring });

    pool.addJob(intervalJob('a', () => undefined, '1s'));
    pool.addJob(intervalJob('b', () => undefined, '1s'));

    expect(pool.getMetrics()).toEqual(monitoring.getMetrics());
    expect(Object.keys(pool.getMetrics()).sort()).toEqual(['a', 'b']);
  });

  it('passes a getMetrics failure on as MONITORING_FAILED, with what it threw as cause', () => {
    const outage = new Error('metrics backend down');
    const monitoring: Monitoring = {
      saveMetrics: () => undefined,
      getMetrics: () => throwValue(outage),
    };
    const { pool } = createHarness({ monitoring });
    pool.addJob(intervalJob('a', () => undefined, '1s'));

    const error = expectOrbitError(() => pool.getMetrics(), 'MONITORING_FAILED');

    expect(error.message).toBe(
      "the pool's monitoring failed in getMetrics(): metrics backend down",
    );
    expect(error.cause).toBe(outage);
  });

  describe('that throws', () => {
    it('does not stop jobs from running on time', async () => {
      const { clock, pool, t0 } = createHarness({ monitoring: throwingMonitoring });
      const first = new RunRecorder(clock, 100);
      const second = new RunRecorder(clock);

      pool.addJob(intervalJob('first', first.fn, '1s'));
      pool.addJob(intervalJob('second', second.fn, '1s', { startAt: t0 + 500 }));
      pool.run();
      await clock.tick(3_000);

      expect(first.startsFrom(t0)).toEqual([0, 1_000, 2_000, 3_000]);
      expect(second.startsFrom(t0)).toEqual([500, 1_500, 2_500]);
    });

    it('does not make control calls throw', async () => {
      const { clock, pool } = createHarness({ monitoring: throwingMonitoring });
      pool.addJob(intervalJob('job', untilAborted, '1h'));
      pool.run();
      await clock.flush();

      expect(() => {
        pool.pauseJob('job', '1s');
        pool.resumeJob('job');
        pool.stopJob('job');
        pool.resumeJob('job');
        pool.removeJob('job');
      }).not.toThrow();
    });

    it('does not make saveData throw', async () => {
      const { clock, pool } = createHarness({ monitoring: throwingMonitoring });
      let saved = false;

      pool.addJob(
        intervalJob(
          'job',
          (ctrl) => {
            ctrl.saveData({ step: 1 });
            saved = ctrl.getData().step === 1;
          },
          '1h',
        ),
      );
      pool.run();
      await clock.flush();

      expect(saved).toBe(true);
    });

    it('does not write to the console', async () => {
      const spies = (['log', 'info', 'warn', 'error', 'debug'] as const).map((method) =>
        vi.spyOn(console, method).mockImplementation(() => undefined),
      );
      const { clock, pool } = createHarness({ monitoring: throwingMonitoring });

      pool.addJob(intervalJob('job', () => throwValue('bad'), '1s', { retry: { active: true } }));
      pool.run();
      await clock.tick(3_000);
      await pool.kill();

      for (const spy of spies) expect(spy).not.toHaveBeenCalled();
    });
  });
});

describe('a monitoring that rejects', () => {
  it('leaves no unhandled rejection and does not stop the jobs', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    const monitoring = {
      saveMetrics: () => Promise.reject(new Error('metrics backend down')),
      getMetrics: () => ({}),
    } as unknown as Monitoring;

    try {
      const { clock, pool } = createHarness({ monitoring });
      let runs = 0;
      pool.addJob({
        id: 'tick',
        interval: { time: '1s' },
        fn: () => {
          runs++;
        },
      });
      pool.run();
      await clock.tick(3_000);
      await new Promise((resolve) => setImmediate(resolve));

      expect(runs).toBe(4);
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });
});
