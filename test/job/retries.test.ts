import { afterEach, describe, expect, it, vi } from 'vitest';
import { JobStatus, Orbit, type RetryConfig } from '../../src/index.js';
import { expectCode, expectOrbitError } from '../support/expect-error.js';
import { RecordingMonitoring, isSubsequence } from '../support/recording-monitoring.js';
import { createHarness, intervalJob, stateOf } from '../support/harness.js';
import { throwValue } from '../support/job-fns.js';
import { createFakeClock } from '../support/fake-clock.js';
import { recordingLogger, type LogLine } from '../support/recording-logger.js';

/** Runs a job that fails every run, every second, for `forMs`; returns its call count. */
async function failingJob(retry: RetryConfig | undefined, forMs: number) {
  const monitoring = new RecordingMonitoring();
  const harness = createHarness({ monitoring });
  let calls = 0;
  harness.pool.addJob(
    intervalJob(
      'job',
      () => {
        calls += 1;
        throwValue(new Error('oops, failed!'));
      },
      '1s',
      retry === undefined ? {} : { retry },
    ),
  );
  harness.pool.run();
  await harness.clock.tick(forMs);

  return { ...harness, monitoring, calls };
}

/** A job whose runs fail or succeed as `script` says ('F' or 'S'), then succeed. */
async function scriptedJob(script: string, retry: RetryConfig) {
  const harness = createHarness();
  let run = 0;
  harness.pool.addJob(
    intervalJob(
      'job',
      () => {
        const outcome = script[run] ?? 'S';
        run += 1;
        if (outcome === 'F') throwValue(new Error(`run ${run} failed`));
      },
      '1s',
      { retry },
    ),
  );
  harness.pool.run();
  await harness.clock.tick(script.length * 1_000 + 5_000);

  return { ...harness, runs: () => run };
}

describe('retries', () => {
  it('end a job without retry config after its first failure', async () => {
    const { pool, calls } = await failingJob(undefined, 10_000);

    expect(calls).toBe(1);
    expect(stateOf(pool, 'job').status).toBe(JobStatus.Ended);
    expect(stateOf(pool, 'job').failure).toBe(1);
  });

  it('end a job with inactive retries after its first failure, whatever the count', async () => {
    const { pool, calls } = await failingJob({ active: false, count: 5 }, 10_000);

    expect(calls).toBe(1);
    expect(stateOf(pool, 'job').status).toBe(JobStatus.Ended);
  });

  it('give a job with count N its N retries, so it ends after N + 1 failures', async () => {
    const { pool, calls } = await failingJob({ active: true, count: 3 }, 10_000);

    expect(calls).toBe(4);
    expect(stateOf(pool, 'job').failure).toBe(4);
    expect(stateOf(pool, 'job').status).toBe(JobStatus.Ended);
  });

  it('keep a job with retries left in the pool, waiting for its next run', async () => {
    const { pool, clock, t0 } = await failingJob({ active: true, count: 3 }, 1_500);

    const state = stateOf(pool, 'job');
    expect(state.failure).toBe(2);
    expect(state.status).toBe(JobStatus.Waiting);
    expect(state.nextRun).toEqual(new Date(t0 + 2_000));
    expect(clock.now()).toBe(t0 + 1_500);
  });

  it('retry on the job schedule', async () => {
    const { clock, pool, t0 } = createHarness();
    const startsMs: number[] = [];
    pool.addJob(
      intervalJob(
        'job',
        () => {
          startsMs.push(clock.now() - t0);
          throwValue(new Error('oops'));
        },
        '5s',
        { retry: { active: true, count: 2 } },
      ),
    );
    pool.run();
    await clock.tick(60_000);

    expect(startsMs).toEqual([0, 5_000, 10_000]);
  });

  it('retry for ever when count is 0', async () => {
    const { pool, calls } = await failingJob({ active: true, count: 0 }, 100_000);

    expect(calls).toBe(101);
    expect(stateOf(pool, 'job').failure).toBe(101);
    expect(stateOf(pool, 'job').status).not.toBe(JobStatus.Ended);
    expect(() => pool.stopJob('job')).not.toThrow();
  });

  it('retry for ever when active is set without a count', async () => {
    const { pool, calls } = await failingJob({ active: true }, 20_000);

    expect(calls).toBe(21);
    expect(stateOf(pool, 'job').status).not.toBe(JobStatus.Ended);
  });

  it('count failures across successes without resetOnSuccess', async () => {
    const { pool, runs } = await scriptedJob('FFSF', { active: true, count: 2 });

    expect(runs()).toBe(4);
    expect(stateOf(pool, 'job').status).toBe(JobStatus.Ended);
    expect(stateOf(pool, 'job').failure).toBe(3);
    expect(stateOf(pool, 'job').success).toBe(1);
  });

  it('start the retry count afresh after a success with resetOnSuccess', async () => {
    const { pool, runs } = await scriptedJob('FFSFFSFF', {
      active: true,
      count: 2,
      resetOnSuccess: true,
    });

    expect(runs()).toBeGreaterThan(8);
    expect(stateOf(pool, 'job').status).not.toBe(JobStatus.Ended);
    expect(stateOf(pool, 'job').failure).toBe(6);
  });

  it('still end a job with resetOnSuccess once it fails N + 1 times in a row', async () => {
    const { pool, runs } = await scriptedJob('FSFFF', {
      active: true,
      count: 2,
      resetOnSuccess: true,
    });

    expect(runs()).toBe(5);
    expect(stateOf(pool, 'job').status).toBe(JobStatus.Ended);
  });

  describe('options set without active: true', () => {
    afterEach(() => {
      vi.restoreAllMocks();
    });

    /** Runs a failing job with `retry` for 5 s; returns its calls and the retry warnings. */
    async function failWithLogger(retry: RetryConfig) {
      const lines: LogLine[] = [];
      const clock = createFakeClock();
      const pool = new Orbit({ clock, logger: recordingLogger(lines) }).createPool();
      let calls = 0;
      const fail = () => {
        calls += 1;
        throwValue(new Error('down'));
      };
      pool.addJob(intervalJob('job', fail, '1s', { retry }));
      pool.run();
      await clock.tick(5_000);
      await pool.kill();
      const warnings = lines.filter(
        (line) => line.level === 'warn' && line.message.includes('retry.active'),
      );
      return { calls, warnings };
    }

    it('warn through the logger that a count does nothing, and the job ends', async () => {
      const { calls, warnings } = await failWithLogger({ count: 100 });

      expect(calls).toBe(1);
      expect(warnings).toEqual([
        {
          level: 'warn',
          message:
            "job 'job': retry.count is set but retry.active is not, and without " +
            'active: true a failed run ends the job (active defaults to false)',
          meta: { jobId: 'job' },
        },
      ]);
    });

    it('name resetOnSuccess too, and write nothing to the console', async () => {
      const console = [vi.spyOn(globalThis.console, 'warn'), vi.spyOn(globalThis.console, 'log')];
      const { warnings } = await failWithLogger({ count: 3, resetOnSuccess: true });

      expect(warnings.map((line) => line.message)).toEqual([
        expect.stringMatching(/^job 'job': retry\.count and retry\.resetOnSuccess are set but/),
      ]);
      for (const method of console) expect(method).not.toHaveBeenCalled();
    });

    it('stay quiet when active is given, true or false', async () => {
      const on = await failWithLogger({ active: true, count: 100 });
      const off = await failWithLogger({ active: false, count: 100 });

      expect([on.calls, off.calls]).toEqual([6, 1]);
      expect([...on.warnings, ...off.warnings]).toEqual([]);
    });
  });

  describe('an ended job', () => {
    it('leaves the pool', async () => {
      const { pool } = await failingJob(undefined, 5_000);

      expectOrbitError(() => pool.stopJob('job'), 'JOB_NOT_FOUND');
      expectOrbitError(() => pool.resumeJob('job'), 'JOB_NOT_FOUND');
    });

    it('keeps its last state in monitoring: status, error and counts', async () => {
      const { pool } = await failingJob({ active: true, count: 1 }, 5_000);

      const state = stateOf(pool, 'job');
      expect(state.status).toBe(JobStatus.Ended);
      expect(state.failure).toBe(2);
      expect(state.success).toBe(0);
      const jobError = expectCode(state.error.jobError, 'JOB_EXECUTION');
      expect((jobError.cause as Error).message).toBe('oops, failed!');
    });

    it('goes through error before it ends', async () => {
      const { monitoring } = await failingJob(undefined, 5_000);

      expect(isSubsequence(['running', 'error', 'ended'], monitoring.statusesOf('job'))).toBe(true);
      expect(monitoring.statusesOf('job').at(-1)).toBe(JobStatus.Ended);
    });

    it('has no next run', async () => {
      const { pool } = await failingJob(undefined, 5_000);

      expect(stateOf(pool, 'job').nextRun).toBeUndefined();
    });

    it('lets a new job take its id', async () => {
      const { clock, pool } = await failingJob(undefined, 5_000);
      let runs = 0;

      pool.addJob(intervalJob('job', () => (runs += 1), '1s'));
      await clock.tick(1_000);

      expect(runs).toBe(2);
    });
  });
});
