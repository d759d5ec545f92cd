import { describe, expect, it } from 'vitest';
import { JobStatus } from '../../src/index.js';
import { recordEvents } from '../support/event-recorder.js';
import { expectOrbitError } from '../support/expect-error.js';
import { createHarness, intervalJob, stateOf } from '../support/harness.js';
import { ControlCapture, RunRecorder } from '../support/job-fns.js';

const HOUR_MS = 3_600_000;

/** A running pool with one hourly job that has run once, at the start. */
async function hourlyJobAfterFirstRun() {
  const harness = createHarness();
  const recorder = new RunRecorder(harness.clock);
  harness.pool.addJob(intervalJob('job', recorder.fn, '1h'));
  harness.pool.run();
  await harness.clock.tick(10 * 60_000);

  return { ...harness, recorder };
}

describe('pool.runNow', () => {
  it('starts a waiting job at once instead of at its next due instant', async () => {
    const { clock, pool, recorder, t0 } = await hourlyJobAfterFirstRun();

    pool.runNow('job');
    await clock.flush();

    expect(recorder.startsFrom(t0)).toEqual([0, 10 * 60_000]);
  });

  it('shows the job due now as soon as runNow returns', async () => {
    const { clock, pool } = await hourlyJobAfterFirstRun();

    pool.runNow('job');

    expect(stateOf(pool, 'job').nextRun).toEqual(new Date(clock.now()));
  });

  it('counts an interval job grid from the run it started', async () => {
    const { clock, pool, recorder, t0 } = await hourlyJobAfterFirstRun();

    pool.runNow('job');
    await clock.tick(HOUR_MS + 30 * 60_000);

    const manualMs = 10 * 60_000;
    expect(recorder.startsFrom(t0)).toEqual([0, manualMs, manualMs + HOUR_MS]);
  });

  it('keeps a cron job on its matches after the run it started', async () => {
    const { clock, pool, t0 } = createHarness();
    const recorder = new RunRecorder(clock);
    pool.addJob({ id: 'job', cron: '0 * * * *', timezone: 'UTC', fn: recorder.fn });
    pool.run();
    await clock.tick(25 * 60_000);

    pool.runNow('job');
    await clock.tick(HOUR_MS);

    expect(recorder.startsFrom(t0)).toEqual([25 * 60_000, HOUR_MS]);
  });

  it('reports the run it started as any other run', async () => {
    const { clock, pool } = await hourlyJobAfterFirstRun();
    const events = recordEvents(pool);

    pool.runNow('job');
    await clock.flush();

    const [started] = events.of('run:started');
    expect(started?.scheduledAt).toEqual(new Date(clock.now()));
    expect(events.names('job')).toEqual(['run:started', 'run:succeeded']);
    expect(stateOf(pool, 'job').success).toBe(2);
  });

  it('refuses a running job with JOB_ALREADY_RUNNING and leaves its run alone', async () => {
    const { clock, pool } = createHarness();
    const capture = new ControlCapture();
    pool.addJob(intervalJob('job', capture.fn, '1h'));
    pool.run();
    await clock.flush();

    const error = expectOrbitError(() => pool.runNow('job'), 'JOB_ALREADY_RUNNING');

    expect(error.jobId).toBe('job');
    expect(capture.ctrl.signal.aborted).toBe(false);
    expect(stateOf(pool, 'job').status).toBe(JobStatus.Running);
  });

  it('refuses a paused job with JOB_ALREADY_RUNNING', async () => {
    const { clock, pool } = createHarness();
    const capture = new ControlCapture();
    pool.addJob(intervalJob('job', capture.fn, '1h'));
    pool.run();
    await clock.flush();
    pool.pauseJob('job', '1m');

    expectOrbitError(() => pool.runNow('job'), 'JOB_ALREADY_RUNNING');
    expect(stateOf(pool, 'job').status).toBe(JobStatus.Paused);
  });

  it('refuses a stopped job with JOB_NOT_RUNNABLE and does not run it', async () => {
    const { clock, pool, recorder } = await hourlyJobAfterFirstRun();
    pool.stopJob('job');

    const error = expectOrbitError(() => pool.runNow('job'), 'JOB_NOT_RUNNABLE');
    await clock.tick(2 * HOUR_MS);

    expect(error.message).toContain('stopped');
    expect(recorder.runs).toBe(1);
  });

  it('refuses a job whose window has not opened with JOB_NOT_RUNNABLE', async () => {
    const { clock, pool, t0 } = createHarness();
    const recorder = new RunRecorder(clock);
    pool.addJob(intervalJob('job', recorder.fn, '1h', { startAt: new Date(t0 + HOUR_MS) }));
    pool.run();

    const error = expectOrbitError(() => pool.runNow('job'), 'JOB_NOT_RUNNABLE');
    await clock.tick(30 * 60_000);

    expect(error.message).toContain(new Date(t0 + HOUR_MS).toISOString());
    expect(recorder.runs).toBe(0);
  });

  it('refuses a job of a pool that is not running with JOB_NOT_RUNNABLE', async () => {
    const { clock, pool } = createHarness();
    const recorder = new RunRecorder(clock);
    pool.addJob(intervalJob('job', recorder.fn, '1h', { startAt: new Date(clock.now()) }));

    expectOrbitError(() => pool.runNow('job'), 'JOB_NOT_RUNNABLE');
    await clock.tick(60_000);

    expect(recorder.runs).toBe(0);
  });

  it('refuses an unknown job with JOB_NOT_FOUND', () => {
    const { pool } = createHarness();
    pool.run();

    expectOrbitError(() => pool.runNow('missing'), 'JOB_NOT_FOUND');
  });

  it('refuses every call after kill with POOL_SHUTDOWN', async () => {
    const { pool } = await hourlyJobAfterFirstRun();
    await pool.kill();

    expectOrbitError(() => pool.runNow('job'), 'POOL_SHUTDOWN');
  });

  it('waits for a free worker slot behind jobs that fell due earlier', async () => {
    const { clock, pool, t0 } = createHarness({ pool: { maxWorkers: 1 } });
    const blocker = new ControlCapture();
    const order: string[] = [];
    pool.addJob(intervalJob('asked', () => order.push('asked'), '1h'));
    pool.addJob(intervalJob('blocker', blocker.fn, '1h'));
    pool.addJob(intervalJob('due', () => order.push('due'), '1h', { startAt: t0 + 1_000 }));
    pool.run();
    await clock.tick(2_000);

    pool.runNow('asked');
    pool.stopJob('blocker');
    await clock.flush();

    expect(order).toEqual(['asked', 'due', 'asked']);
  });

  it('keeps an overdue job at its own instant, ahead of jobs due after it', async () => {
    const { clock, pool, t0 } = createHarness({ pool: { maxWorkers: 1 } });
    const blocker = new ControlCapture();
    const order: string[] = [];
    pool.addJob(intervalJob('blocker', blocker.fn, '1h'));
    pool.addJob(intervalJob('first', () => order.push('first'), '1h', { startAt: t0 + 1_000 }));
    pool.addJob(intervalJob('second', () => order.push('second'), '1h', { startAt: t0 + 1_500 }));
    pool.run();
    await clock.tick(2_000);

    pool.runNow('first');
    pool.stopJob('blocker');
    await clock.flush();

    expect(order).toEqual(['first', 'second']);
  });
});
