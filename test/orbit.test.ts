import { describe, expect, it } from 'vitest';
import { Orbit, JobStatus, type JobState, type Monitoring } from '../src/index.js';
import { expectCode, expectOrbitError } from './support/expect-error.js';
import { createFakeClock } from './support/fake-clock.js';
import { createHarness, intervalJob, stateOf } from './support/harness.js';
import { RunRecorder, untilAborted } from './support/job-fns.js';

describe('Orbit', () => {
  it('creates a pool that runs the jobs added through orbit.addJob', async () => {
    const { clock, orbit, pool, t0 } = createHarness();
    const recorder = new RunRecorder(clock);

    orbit.addJob(pool, intervalJob('report', recorder.fn, '1s'));
    pool.run();
    await clock.tick(2_500);

    expect(recorder.startsFrom(t0)).toEqual([0, 1_000, 2_000]);
  });

  it('creates pools that schedule independently of each other', async () => {
    const { clock, orbit, t0 } = createHarness();
    const first = orbit.createPool({ maxWorkers: 1 });
    const second = orbit.createPool({ maxWorkers: 1 });
    const slow = new RunRecorder(clock, 10_000);
    const quick = new RunRecorder(clock);

    first.addJob(intervalJob('slow', slow.fn, '1h'));
    second.addJob(intervalJob('quick', quick.fn, '1s'));
    first.run();
    second.run();
    await clock.tick(2_000);

    expect(slow.startsFrom(t0)).toEqual([0]);
    expect(quick.startsFrom(t0)).toEqual([0, 1_000, 2_000]);
  });

  it('uses the built-in in-memory monitoring when a pool is given none', () => {
    const { pool, t0 } = createHarness();

    pool.addJob(intervalJob('report', () => undefined, '5s', { name: 'Nightly report' }));

    const state = stateOf(pool, 'report');
    expect(state).toMatchObject({
      jobId: 'report',
      name: 'Nightly report',
      status: JobStatus.Waiting,
      executionTime: 0,
      success: 0,
      failure: 0,
      data: {},
    });
    expect(state.error.jobError).toBeUndefined();
    expect(state.error.hookError).toEqual({});
    expect(t0).toBeGreaterThan(0);
  });

  it('names a job after its id when no name is given', () => {
    const { pool } = createHarness();

    pool.addJob(intervalJob('report', () => undefined, '5s'));

    expect(stateOf(pool, 'report').name).toBe('report');
  });

  it('hands every state change to the monitoring given to createPool', () => {
    const saved: JobState[] = [];
    const monitoring: Monitoring = {
      saveMetrics: (state) => saved.push(state),
      getMetrics: () => ({ custom: true }),
    };
    const { pool } = createHarness({ monitoring });

    pool.addJob(intervalJob('report', () => undefined, '5s'));

    expect(saved.map((state) => state.jobId)).toContain('report');
    expect(pool.getMetrics()).toEqual({ custom: true });
  });

  it('refuses a pool config with a wrong-typed option with INVALID_CONFIG', () => {
    const { orbit } = createHarness();

    const error = expectOrbitError(() => orbit.createPool({ maxWorkers: -1 }), 'INVALID_CONFIG');

    expect(error.message).toContain('maxWorkers');
  });

  it('refuses a second pool with the id of one that was not killed, and frees it on kill', async () => {
    const { orbit } = createHarness();
    const first = orbit.createPool({ id: 'reports' });

    const error = expectOrbitError(() => orbit.createPool({ id: 'reports' }), 'ID_EXISTS');
    expect(error.message).toContain("'reports'");
    expect(new Orbit().createPool({ id: 'reports' }).id).toBe('reports');

    await first.kill();
    expect(orbit.createPool({ id: 'reports' }).id).toBe('reports');
  });

  it('kills every pool when its signal aborts', async () => {
    const controller = new AbortController();
    const { clock, orbit, pool } = createHarness({ signal: controller.signal });
    const other = orbit.createPool();
    const reasons: unknown[] = [];
    const job = async (ctrl: Parameters<typeof untilAborted>[0]) => {
      ctrl.signal.addEventListener('abort', () => reasons.push(ctrl.signal.reason));
      await untilAborted(ctrl);
    };

    pool.addJob(intervalJob('a', job, '1h'));
    other.addJob(intervalJob('b', job, '1h'));
    pool.run();
    other.run();
    await clock.flush();
    controller.abort();
    await clock.tick(100);

    expect(reasons).toHaveLength(2);
    for (const reason of reasons) expectCode(reason, 'POOL_SHUTDOWN');
    for (const [target, id] of [
      [pool, 'a'],
      [other, 'b'],
    ] as const) {
      expect(stateOf(target, id).status).toBe(JobStatus.Stopped);
      expectCode(stateOf(target, id).error.jobError, 'POOL_SHUTDOWN');
      expectOrbitError(() => target.run(), 'POOL_SHUTDOWN');
    }
  });

  it('runs nothing more in any pool once its signal has aborted', async () => {
    const controller = new AbortController();
    const { clock, pool } = createHarness({ signal: controller.signal });
    const recorder = new RunRecorder(clock);

    pool.addJob(intervalJob('report', recorder.fn, '1s'));
    pool.run();
    await clock.tick(1_500);
    controller.abort();
    await clock.tick(10_000);

    expect(recorder.runs).toBe(2);
  });

  it('runs jobs on the real clock when no clock is given', async () => {
    const orbit = new Orbit();
    const pool = orbit.createPool();
    let runs = 0;

    pool.addJob(intervalJob('tick', () => (runs += 1), 20));
    pool.run();
    await new Promise((resolve) => setTimeout(resolve, 150));
    await pool.kill({ timeout: 100 });

    expect(runs).toBeGreaterThanOrEqual(3);
    expect(runs).toBeLessThanOrEqual(9);
  });

  it('exports the seven job statuses', () => {
    expect(Object.values(JobStatus).sort()).toEqual(
      ['completed', 'ended', 'error', 'paused', 'running', 'stopped', 'waiting'].sort(),
    );
    expect(JobStatus.Waiting).toBe('waiting');
  });

  it('reads every instant from the clock it is given', async () => {
    const clock = createFakeClock(Date.UTC(2030, 5, 1));
    const orbit = new Orbit({ clock });
    const pool = orbit.createPool();
    const recorder = new RunRecorder(clock);
    const startAtMs = Date.UTC(2030, 5, 2);

    pool.addJob(intervalJob('report', recorder.fn, '1h', { startAt: startAtMs }));
    pool.run();
    await clock.tick(startAtMs - clock.now());

    expect(recorder.startsMs).toEqual([startAtMs]);
    expect(stateOf(pool, 'report').startAt).toEqual(new Date(startAtMs));
  });
});
