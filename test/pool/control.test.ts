import { describe, expect, it } from 'vitest';
import { JobStatus, type HookName, type JobHooks } from '../../src/index.js';
import { expectCode, expectOrbitError } from '../support/expect-error.js';
import { createHarness, intervalJob, stateOf } from '../support/harness.js';
import { ControlCapture, RunRecorder, neverSettles, untilAborted } from '../support/job-fns.js';

/** Hooks that append their name to `calls` each time they fire. */
function countingHooks(calls: HookName[]): JobHooks {
  const names: HookName[] = [
    'onStart',
    'onSuccess',
    'onError',
    'finally',
    'onPause',
    'onResume',
    'onStop',
  ];

  return Object.fromEntries(names.map((name) => [name, { fn: () => calls.push(name) }]));
}

/** A pool with one running job that waits for its signal; resolves once the run started. */
async function runningJob(hooks: JobHooks = {}) {
  const harness = createHarness();
  const capture = new ControlCapture();
  harness.pool.addJob(
    intervalJob('job', capture.fn, '1h', { hooks, retry: { active: true, count: 0 } }),
  );
  harness.pool.run();
  await harness.clock.flush();

  return { ...harness, ctrl: capture.ctrl };
}

describe('pool control calls', () => {
  it('shows a stopped job as stopped as soon as stopJob returns', async () => {
    const { pool } = await runningJob();

    pool.stopJob('job');

    expect(stateOf(pool, 'job').status).toBe(JobStatus.Stopped);
  });

  it('aborts the running run of a stopped job with JOB_STOPPED', async () => {
    const { pool, ctrl } = await runningJob();

    pool.stopJob('job');

    expect(ctrl.signal.aborted).toBe(true);
    expect(expectCode(ctrl.signal.reason, 'JOB_STOPPED').jobId).toBe('job');
  });

  it('fires onStop once for a stop, even after the stopped run settles', async () => {
    const calls: HookName[] = [];
    const { clock, pool } = await runningJob(countingHooks(calls));

    pool.stopJob('job');
    await clock.tick(5_000);

    expect(calls.filter((name) => name === 'onStop')).toHaveLength(1);
  });

  it('counts a stopped run neither as a failure nor as a success', async () => {
    const calls: HookName[] = [];
    const { clock, pool } = await runningJob(countingHooks(calls));

    pool.stopJob('job');
    await clock.tick(5_000);

    const state = stateOf(pool, 'job');
    expect(state.status).toBe(JobStatus.Stopped);
    expect(state.failure).toBe(0);
    expect(state.success).toBe(0);
    expect(calls).not.toContain('onError');
  });

  it('keeps a stopped job without retries in the pool', async () => {
    const { clock, pool } = createHarness();
    pool.addJob(intervalJob('job', untilAborted, '1s'));
    pool.run();
    await clock.tick(100);

    pool.stopJob('job');
    await clock.tick(5_000);

    expect(stateOf(pool, 'job').status).toBe(JobStatus.Stopped);
    expect(() => pool.resumeJob('job')).not.toThrow();
  });

  it('runs a stopped job no more until it is resumed', async () => {
    const { clock, pool, t0 } = createHarness();
    const recorder = new RunRecorder(clock, 100);

    pool.addJob(intervalJob('job', recorder.fn, '1s'));
    pool.run();
    await clock.tick(1_500);
    pool.stopJob('job');
    await clock.tick(60_000);

    expect(recorder.startsFrom(t0)).toEqual([0, 1_000]);
    expect(stateOf(pool, 'job').status).toBe(JobStatus.Stopped);
  });

  it('stops a waiting job so that it does not run at its next due instant', async () => {
    const { clock, pool } = createHarness();
    const recorder = new RunRecorder(clock);

    pool.addJob(intervalJob('job', recorder.fn, '1s'));
    pool.run();
    await clock.tick(500);
    pool.stopJob('job');
    await clock.tick(5_000);

    expect(recorder.runs).toBe(1);
  });

  it('stops a job that ignores its signal at once', async () => {
    const { clock, pool } = createHarness();
    pool.addJob(intervalJob('job', neverSettles, '1s'));
    pool.run();
    await clock.tick(100);

    pool.stopJob('job');
    await clock.tick(10_000);

    expect(stateOf(pool, 'job').status).toBe(JobStatus.Stopped);
  });

  it('puts a resumed stopped job back to waiting and fires onResume', async () => {
    const calls: HookName[] = [];
    const { pool } = await runningJob(countingHooks(calls));

    pool.stopJob('job');
    pool.resumeJob('job');

    expect(stateOf(pool, 'job').status).toBe(JobStatus.Waiting);
    expect(calls.filter((name) => name === 'onResume')).toHaveLength(1);
  });

  it('schedules a resumed stopped job again within one interval', async () => {
    const { clock, pool, t0 } = createHarness();
    const recorder = new RunRecorder(clock, 100);

    pool.addJob(intervalJob('job', recorder.fn, '1s'));
    pool.run();
    await clock.tick(1_500);
    pool.stopJob('job');
    await clock.tick(3_800);
    expect(recorder.runs).toBe(2);
    pool.resumeJob('job');
    await clock.tick(1_000);

    const firstResumedRunMs = recorder.startsFrom(t0)[2];
    expect(firstResumedRunMs).toBeGreaterThanOrEqual(5_300);
    expect(firstResumedRunMs).toBeLessThanOrEqual(6_000);
    expect(stateOf(pool, 'job').success).toBe(recorder.runs);
  });

  it('shows a paused job as paused as soon as pauseJob returns', async () => {
    const { pool } = await runningJob();

    pool.pauseJob('job', '10s');

    expect(stateOf(pool, 'job').status).toBe(JobStatus.Paused);
  });

  it('shows a resumed paused job as running as soon as resumeJob returns', async () => {
    const { pool } = await runningJob();

    pool.pauseJob('job', '10s');
    pool.resumeJob('job');

    expect(stateOf(pool, 'job').status).toBe(JobStatus.Running);
  });

  it('stops a paused job', async () => {
    const calls: HookName[] = [];
    const { pool, ctrl } = await runningJob(countingHooks(calls));

    pool.pauseJob('job', '10s');
    pool.stopJob('job');

    expect(stateOf(pool, 'job').status).toBe(JobStatus.Stopped);
    expectCode(ctrl.signal.reason, 'JOB_STOPPED');
    expect(calls.filter((name) => name === 'onStop')).toHaveLength(1);
  });

  describe('errors', () => {
    it('refuses every control call on an unknown id with JOB_NOT_FOUND', () => {
      const { pool } = createHarness();
      const calls: [string, () => unknown][] = [
        ['pauseJob', () => pool.pauseJob('ghost', 1_000)],
        ['resumeJob', () => pool.resumeJob('ghost')],
        ['stopJob', () => pool.stopJob('ghost')],
        ['removeJob', () => pool.removeJob('ghost')],
      ];

      for (const [, call] of calls) {
        expect(expectOrbitError(call, 'JOB_NOT_FOUND').jobId).toBe('ghost');
      }
    });

    it('refuses to pause a waiting job with JOB_NOT_RUNNING', () => {
      const { pool } = createHarness();
      pool.addJob(intervalJob('job', () => undefined, '1s'));

      const error = expectOrbitError(() => pool.pauseJob('job', 1_000), 'JOB_NOT_RUNNING');

      expect(error.jobId).toBe('job');
      expect(stateOf(pool, 'job').status).toBe(JobStatus.Waiting);
    });

    it('refuses to pause a stopped job with JOB_NOT_RUNNING', async () => {
      const { pool } = await runningJob();
      pool.stopJob('job');

      expectOrbitError(() => pool.pauseJob('job', 1_000), 'JOB_NOT_RUNNING');
    });

    it('refuses to pause a paused job with JOB_ALREADY_PAUSED', async () => {
      const { pool } = await runningJob();
      pool.pauseJob('job', '10s');

      const error = expectOrbitError(() => pool.pauseJob('job', '10s'), 'JOB_ALREADY_PAUSED');

      expect(error.jobId).toBe('job');
    });

    it('refuses to resume a running job with JOB_NOT_PAUSED_OR_STOPPED', async () => {
      const { pool } = await runningJob();

      const error = expectOrbitError(() => pool.resumeJob('job'), 'JOB_NOT_PAUSED_OR_STOPPED');

      expect(error.jobId).toBe('job');
      expect(stateOf(pool, 'job').status).toBe(JobStatus.Running);
    });

    it('refuses to resume a waiting job with JOB_NOT_PAUSED_OR_STOPPED', () => {
      const { pool } = createHarness();
      pool.addJob(intervalJob('job', () => undefined, '1s'));

      expectOrbitError(() => pool.resumeJob('job'), 'JOB_NOT_PAUSED_OR_STOPPED');
    });

    it('refuses a negative pause timeout with INVALID_DURATION', async () => {
      const { pool } = await runningJob();

      expectOrbitError(() => pool.pauseJob('job', -5), 'INVALID_DURATION');
      expect(stateOf(pool, 'job').status).toBe(JobStatus.Running);
    });
  });
});
