import { describe, expect, it } from 'vitest';
import { JobStatus } from '../../src/index.js';
import { expectCode, expectOrbitError } from '../support/expect-error.js';
import { createHarness, intervalJob, stateOf } from '../support/harness.js';
import { ControlCapture, RunRecorder, untilAborted } from '../support/job-fns.js';

describe('pool lifecycle', () => {
  it('shows a job named __proto__ in getMetrics() like any other', async () => {
    const { clock, pool } = createHarness();
    pool.addJob(intervalJob('__proto__', () => undefined, '1s'));
    pool.addJob(intervalJob('other', () => undefined, '1s'));
    pool.run();
    await clock.flush();

    const metrics = pool.getMetrics();
    expect(Object.keys(metrics).sort()).toEqual(['__proto__', 'other']);
    expect(Object.getPrototypeOf(metrics)).toBe(Object.prototype);
    const parsed = JSON.parse(JSON.stringify(metrics)) as object;
    expect(Object.getOwnPropertyDescriptor(parsed, '__proto__')?.value).toMatchObject({
      jobId: '__proto__',
      success: 1,
    });
  });

  it('runs no job before run() is called', async () => {
    const { clock, pool } = createHarness();
    const recorder = new RunRecorder(clock);

    pool.addJob(intervalJob('report', recorder.fn, '1s'));
    await clock.tick(10_000);

    expect(recorder.runs).toBe(0);
    expect(stateOf(pool, 'report').status).toBe(JobStatus.Waiting);
  });

  it('runs a job without startAt as soon as the pool runs, then on its grid', async () => {
    const { clock, pool, t0 } = createHarness();
    const recorder = new RunRecorder(clock);

    pool.addJob(intervalJob('report', recorder.fn, '1s'));
    await clock.tick(5_300);
    pool.run();
    await clock.tick(2_000);

    expect(recorder.startsFrom(t0)).toEqual([5_300, 6_300, 7_300]);
  });

  it('schedules a job added to a running pool at once', async () => {
    const { clock, pool, t0 } = createHarness();
    const recorder = new RunRecorder(clock);

    pool.run();
    await clock.tick(700);
    pool.addJob(intervalJob('late', recorder.fn, '1s'));
    await clock.tick(2_000);

    expect(recorder.startsFrom(t0)).toEqual([700, 1_700, 2_700]);
  });

  it('runs a job added to a running pool at its startAt', async () => {
    const { clock, pool, t0 } = createHarness();
    const recorder = new RunRecorder(clock);

    pool.run();
    await clock.tick(700);
    pool.addJob(intervalJob('late', recorder.fn, '1s', { startAt: t0 + 4_250 }));
    await clock.tick(4_249 - 700);
    expect(recorder.runs).toBe(0);
    await clock.tick(1_001);

    expect(recorder.startsFrom(t0)).toEqual([4_250, 5_250]);
  });

  it('accepts startAt as a Date or as epoch milliseconds', async () => {
    const { clock, pool, t0 } = createHarness();
    const fromDate = new RunRecorder(clock);
    const fromNumber = new RunRecorder(clock);

    pool.addJob(intervalJob('date', fromDate.fn, '1h', { startAt: new Date(t0 + 3_000) }));
    pool.addJob(intervalJob('number', fromNumber.fn, '1h', { startAt: t0 + 3_000 }));
    pool.run();
    await clock.tick(3_000);

    expect(fromDate.startsFrom(t0)).toEqual([3_000]);
    expect(fromNumber.startsFrom(t0)).toEqual([3_000]);
  });

  it('shows a job running while its run lasts and waiting for its next run after', async () => {
    const { clock, pool, t0 } = createHarness();
    const recorder = new RunRecorder(clock, 300);

    pool.addJob(intervalJob('report', recorder.fn, '1s'));
    pool.run();
    await clock.tick(100);
    expect(stateOf(pool, 'report').status).toBe(JobStatus.Running);
    await clock.tick(300);

    const state = stateOf(pool, 'report');
    expect(state.status).toBe(JobStatus.Waiting);
    expect(state.startAt).toEqual(new Date(t0));
    expect(state.endAt).toEqual(new Date(t0 + 300));
    expect(state.nextRun).toEqual(new Date(t0 + 1_000));
    expect(state.executionTime).toBe(300);
    expect(state.success).toBe(1);
    expect(state.failure).toBe(0);
  });

  it('tells the job which due instant each run serves', async () => {
    const { clock, pool, t0 } = createHarness();
    const recorder = new RunRecorder(clock);

    pool.addJob(intervalJob('report', recorder.fn, '1s', { startAt: t0 + 500 }));
    pool.run();
    await clock.tick(2_500);

    expect(recorder.scheduledMs.map((ms) => ms - t0)).toEqual([500, 1_500, 2_500]);
  });

  it('gives each run the job id and a fence that counts the runs from 1', async () => {
    const { clock, pool } = createHarness();
    const seen: { jobId: string; fence: number }[] = [];

    pool.addJob(
      intervalJob('report', (ctrl) => seen.push({ jobId: ctrl.jobId, fence: ctrl.fence }), '1s'),
    );
    pool.run();
    await clock.tick(2_000);

    expect(seen).toEqual([
      { jobId: 'report', fence: 1 },
      { jobId: 'report', fence: 2 },
      { jobId: 'report', fence: 3 },
    ]);
  });

  it('accepts a synchronous job function', async () => {
    const { clock, pool } = createHarness();
    let runs = 0;

    pool.addJob(intervalJob('sync', () => (runs += 1), '1s'));
    pool.run();
    await clock.tick(1_000);

    expect(runs).toBe(2);
    expect(stateOf(pool, 'sync').success).toBe(2);
  });

  it('stops the running run of a removed job with JOB_STOPPED', async () => {
    const { clock, pool } = createHarness();
    const capture = new ControlCapture();

    pool.addJob(intervalJob('report', capture.fn, '1s'));
    pool.run();
    await clock.flush();
    const { ctrl } = capture;
    pool.removeJob('report');

    expect(ctrl.signal.aborted).toBe(true);
    const reason = expectCode(ctrl.signal.reason, 'JOB_STOPPED');
    expect(reason.jobId).toBe('report');
  });

  it('runs a removed job no more and forgets its id', async () => {
    const { clock, pool } = createHarness();
    const recorder = new RunRecorder(clock);

    pool.addJob(intervalJob('report', recorder.fn, '1s'));
    pool.run();
    await clock.tick(1_500);
    pool.removeJob('report');
    await clock.tick(10_000);

    expect(recorder.runs).toBe(2);
    expectOrbitError(() => pool.stopJob('report'), 'JOB_NOT_FOUND');
    expectOrbitError(() => pool.removeJob('report'), 'JOB_NOT_FOUND');
  });

  it('takes a new job under the id of a removed one', async () => {
    const { clock, pool, t0 } = createHarness();
    const replacement = new RunRecorder(clock);

    pool.addJob(intervalJob('report', untilAborted, '1s'));
    pool.run();
    await clock.tick(100);
    pool.removeJob('report');
    pool.addJob(intervalJob('report', replacement.fn, '1s'));
    await clock.tick(1_000);

    expect(replacement.startsFrom(t0)).toEqual([100, 1_100]);
  });

  it('ends a job after its endAt and lets it leave the pool', async () => {
    const { clock, pool, t0 } = createHarness();
    const recorder = new RunRecorder(clock);

    pool.addJob(
      intervalJob('window', recorder.fn, '1s', { startAt: t0 + 5_000, endAt: t0 + 8_500 }),
    );
    pool.run();
    await clock.tick(20_000);

    expect(recorder.startsFrom(t0)).toEqual([5_000, 6_000, 7_000, 8_000]);
    expect(stateOf(pool, 'window').status).toBe(JobStatus.Ended);
    expect(stateOf(pool, 'window').success).toBe(4);
    expectOrbitError(() => pool.stopJob('window'), 'JOB_NOT_FOUND');
  });

  it('starts no run after endAt even when the job was started late', async () => {
    const { clock, pool, t0 } = createHarness();
    const recorder = new RunRecorder(clock);

    pool.addJob(intervalJob('window', recorder.fn, '1s', { endAt: t0 + 2_500 }));
    await clock.tick(3_000);
    pool.run();
    await clock.tick(5_000);

    expect(recorder.runs).toBe(0);
    expect(stateOf(pool, 'window').status).toBe(JobStatus.Ended);
  });
});
