import { describe, expect, it } from 'vitest';
import { Orbit, OrbitError, type JobConfig, type PoolConfig } from '../../src/index.js';
import { createFakeClock, type FakeClock } from '../support/fake-clock.js';
import { recordEvents } from '../support/event-recorder.js';

const T0 = Date.UTC(2026, 0, 1);

function setup(poolConfig: PoolConfig = { id: 'p' }) {
  const clock = createFakeClock(T0);
  const orbit = new Orbit({ clock });
  const pool = orbit.createPool(poolConfig);
  const events = recordEvents(pool);
  return { clock, pool, events };
}

/** A job function that takes `ms` of fake time. */
function takes(clock: FakeClock, ms: number, fail = false): JobConfig['fn'] {
  return async () => {
    await clock.sleep(ms);
    if (fail) throw new Error('boom');
  };
}

describe('run events', () => {
  it('reports a successful run as started then succeeded, with its timings', async () => {
    const { clock, pool, events } = setup();
    pool.addJob({ id: 'a', fn: takes(clock, 40), interval: { time: '1s' } });
    pool.run();
    await clock.tick(100);

    expect(events.names('a')).toEqual(['job:added', 'run:started', 'run:succeeded']);
    const [started] = events.of('run:started');
    expect(started).toEqual({
      poolId: 'p',
      jobId: 'a',
      scheduledAt: new Date(T0),
      fence: 1,
      startedAt: new Date(T0),
      latenessMs: 0,
    });
    expect(events.of('run:succeeded')[0]).toEqual({
      poolId: 'p',
      jobId: 'a',
      scheduledAt: new Date(T0),
      fence: 1,
      startedAt: new Date(T0),
      endedAt: new Date(T0 + 40),
      durationMs: 40,
    });
  });

  it('gives each run a growing fence and its own due instant', async () => {
    const { clock, pool, events } = setup();
    pool.addJob({ id: 'a', fn: () => undefined, interval: { time: 100 } });
    pool.run();
    await clock.tick(250);

    const started = events.of('run:started');
    expect(started.map((event) => event.fence)).toEqual([1, 2, 3]);
    expect(started.map((event) => event.scheduledAt.getTime() - T0)).toEqual([0, 100, 200]);
  });

  it('reports a failure, the retry, and the end when retries are used up', async () => {
    const { clock, pool, events } = setup();
    pool.addJob({
      id: 'a',
      fn: takes(clock, 10, true),
      interval: { time: 100 },
      retry: { active: true, count: 1 },
    });
    pool.run();
    await clock.tick(150);

    expect(events.names('a')).toEqual([
      'job:added',
      'run:started',
      'run:failed',
      'run:retried',
      'run:started',
      'run:failed',
      'job:ended',
    ]);
    const [first, second] = events.of('run:failed');
    expect(first?.willRetry).toBe(true);
    expect(first?.error.code).toBe('JOB_EXECUTION');
    expect((first?.error.cause as Error).message).toBe('boom');
    expect(first?.durationMs).toBe(10);
    expect(second?.willRetry).toBe(false);
    expect(events.of('run:retried')[0]).toMatchObject({
      fence: 1,
      attempt: 1,
      retriesLeft: 0,
      nextRunAt: new Date(T0 + 100),
    });
    expect(events.of('job:ended')[0]).toMatchObject({
      reason: 'failed',
      success: 0,
      failure: 2,
      error: second?.error,
    });
  });

  it('counts the retries left as Infinity when the policy retries for ever', async () => {
    const { clock, pool, events } = setup();
    pool.addJob({
      id: 'a',
      fn: () => {
        throw new Error('no');
      },
      interval: { time: 100 },
      retry: { active: true, count: 0 },
    });
    pool.run();
    await clock.tick(150);

    expect(events.of('run:retried').map((event) => event.retriesLeft)).toEqual([
      Infinity,
      Infinity,
    ]);
  });

  it('ends a job whose window is over with reason schedule-over', async () => {
    const { clock, pool, events } = setup();
    pool.addJob({ id: 'a', fn: () => undefined, interval: { time: 100 }, endAt: T0 + 150 });
    pool.run();
    await clock.tick(300);

    expect(events.names('a')).toEqual([
      'job:added',
      'run:started',
      'run:succeeded',
      'run:started',
      'run:succeeded',
      'job:ended',
    ]);
    expect(events.of('job:ended')[0]).toMatchObject({
      reason: 'schedule-over',
      error: undefined,
      success: 2,
    });
  });

  it('reports the due instants that fell during a long run as skipped', async () => {
    const { clock, pool, events } = setup();
    pool.addJob({ id: 'a', fn: takes(clock, 250), interval: { time: 100 } });
    pool.run();
    await clock.tick(260);

    expect(events.names('a')).toEqual(['job:added', 'run:started', 'run:succeeded', 'run:skipped']);
    expect(events.of('run:skipped')[0]).toEqual({
      poolId: 'p',
      jobId: 'a',
      scheduledAt: new Date(T0),
      fence: 1,
      count: 2,
      firstAt: new Date(T0 + 100),
      lastAt: new Date(T0 + 200),
      nextRunAt: new Date(T0 + 300),
    });
  });

  it('reports a run that waited for a worker slot as late, with the instants it missed', async () => {
    const { clock, pool, events } = setup({ id: 'p', maxWorkers: 1 });
    pool.addJob({ id: 'slow', fn: takes(clock, 250), interval: { time: '1h' } });
    pool.addJob({ id: 'fast', fn: () => undefined, interval: { time: 100 } });
    pool.run();
    await clock.tick(260);

    expect(events.names('fast')).toEqual([
      'job:added',
      'run:missed',
      'run:started',
      'run:succeeded',
    ]);
    expect(events.of('run:missed')[0]).toEqual({
      poolId: 'p',
      jobId: 'fast',
      scheduledAt: new Date(T0),
      fence: 1,
      reason: 'late',
      count: 2,
      firstAt: new Date(T0 + 100),
      lastAt: new Date(T0 + 200),
    });
    expect(events.of('run:started')[1]).toMatchObject({ jobId: 'fast', latenessMs: 250 });
  });

  it('reports the instants behind a past startAt as missed by misfire', async () => {
    const { clock, pool, events } = setup();
    pool.addJob({ id: 'a', fn: () => undefined, interval: { time: 100 }, startAt: T0 - 350 });
    pool.run();
    await clock.flush();

    expect(events.names('a').slice(0, 3)).toEqual(['job:added', 'run:missed', 'run:started']);
    expect(events.of('run:missed')[0]).toMatchObject({
      reason: 'misfire',
      count: 3,
      firstAt: new Date(T0 - 350),
      lastAt: new Date(T0 - 150),
      scheduledAt: new Date(T0 - 50),
      fence: 1,
    });
    expect(events.of('run:started')[0]).toMatchObject({ latenessMs: 50, fence: 1 });
  });

  it('reports a failing hook with the hook name and whether it was ignored', async () => {
    const { clock, pool, events } = setup();
    pool.addJob({
      id: 'a',
      fn: () => undefined,
      interval: { time: '1h' },
      hooks: {
        onStart: { fn: () => Promise.reject(new Error('hook down')), ignoreError: true },
        finally: { fn: () => Promise.reject(new Error('cleanup')) },
      },
    });
    pool.run();
    await clock.flush();

    expect(events.names('a')).toEqual([
      'job:added',
      'run:started',
      'hook:failed',
      'hook:failed',
      'run:failed',
      'job:ended',
    ]);
    const [onStart, onFinally] = events.of('hook:failed');
    expect(onStart).toMatchObject({ hook: 'onStart', ignored: true, fence: 1 });
    expect(onStart?.error.code).toBe('HOOK_FAILED');
    expect(onFinally).toMatchObject({ hook: 'finally', ignored: false });
    expect(events.of('run:failed')[0]?.error).toBe(onFinally?.error);
  });
});

describe('control events', () => {
  async function runningJob() {
    const harness = setup();
    let steps = 0;
    harness.pool.addJob({
      id: 'a',
      fn: async (ctrl) => {
        for (; steps < 5; steps++) {
          await harness.clock.sleep(100);
          await ctrl.checkpoint();
        }
      },
      interval: { time: '1h' },
    });
    harness.pool.run();
    await harness.clock.flush();
    return { ...harness, steps: () => steps };
  }

  it('reports pause, resume and a run that goes on to succeed', async () => {
    const { clock, pool, events } = await runningJob();
    pool.pauseJob('a', '5s');
    await clock.tick(1_000);
    pool.resumeJob('a');
    await clock.tick(1_000);

    expect(events.names('a')).toEqual([
      'job:added',
      'run:started',
      'job:paused',
      'job:resumed',
      'run:succeeded',
    ]);
    expect(events.of('job:paused')[0]).toMatchObject({ fence: 1, withdrawAfterMs: 5000 });
    expect(events.of('job:resumed')[0]).toEqual({ poolId: 'p', jobId: 'a', from: 'paused' });
  });

  it('reports a pause the job did not take in time as withdrawn, not resumed', async () => {
    const { clock, pool, events } = setup();
    pool.addJob({ id: 'a', fn: takes(clock, 500), interval: { time: '1h' } });
    pool.run();
    await clock.flush();
    pool.pauseJob('a', 100);
    await clock.tick(150);

    expect(events.names('a')).toEqual([
      'job:added',
      'run:started',
      'job:paused',
      'job:pause-withdrawn',
    ]);
  });

  it('reports a stop with the aborted run, then a resume from stopped', async () => {
    const { clock, pool, events } = await runningJob();
    await clock.tick(150);
    pool.stopJob('a');
    pool.resumeJob('a');

    expect(events.names('a').slice(2)).toEqual(['job:stopped', 'job:resumed']);
    const [stopped] = events.of('job:stopped');
    expect(stopped?.reason.code).toBe('JOB_STOPPED');
    expect(stopped?.abortedRun).toEqual({ scheduledAt: new Date(T0), fence: 1 });
    expect(events.of('job:resumed')[0]?.from).toBe('stopped');
  });

  it('reports a stop of a waiting job without an aborted run', () => {
    const { pool, events } = setup();
    pool.addJob({ id: 'a', fn: () => undefined, interval: { time: '1h' } });
    pool.stopJob('a');
    pool.stopJob('a');

    expect(events.of('job:stopped')).toHaveLength(1);
    expect(events.of('job:stopped')[0]?.abortedRun).toBeUndefined();
  });

  it('reports removal, and a kill as every job stopped with POOL_SHUTDOWN', async () => {
    const { clock, pool, events } = await runningJob();
    pool.addJob({ id: 'b', fn: () => undefined, interval: { time: '1h' }, startAt: T0 + 1e6 });
    pool.addJob({ id: 'c', fn: () => undefined, interval: { time: '1h' }, startAt: T0 + 1e6 });
    pool.removeJob('c');
    await clock.tick(50);
    const killed = pool.kill({ timeout: 10 });
    await clock.tick(20);
    await killed;

    expect(events.names('c')).toEqual(['job:added', 'job:removed']);
    const stopped = events.of('job:stopped');
    expect(stopped.map((event) => [event.jobId, event.reason.code])).toEqual([
      ['a', 'POOL_SHUTDOWN'],
      ['b', 'POOL_SHUTDOWN'],
    ]);
    expect(stopped[0]?.abortedRun?.fence).toBe(1);
    expect(events.all.at(-1)).toEqual({ name: 'pool:killed', event: { poolId: 'p' } });
    expect(events.all.find((entry) => entry.name === 'pool:started')).toBeDefined();
  });
});

describe('listeners', () => {
  it('keeps the pool going when a listener throws or rejects, and logs each failure', async () => {
    const clock = createFakeClock(T0);
    const logged: { message: string; meta: Record<string, unknown> | undefined }[] = [];
    const logger = {
      debug: () => undefined,
      info: () => undefined,
      warn: () => undefined,
      error: (message: string, meta?: Record<string, unknown>) => logged.push({ message, meta }),
      child() {
        return logger;
      },
    };
    const pool = new Orbit({ clock, logger }).createPool({ id: 'p' });
    let runs = 0;
    const seen: number[] = [];
    pool.on('run:started', () => {
      throw new Error('listener down');
    });
    pool.on('run:succeeded', () => Promise.reject(new Error('async listener down')));
    pool.on('run:succeeded', ({ fence }) => seen.push(fence));
    pool.addJob({
      id: 'a',
      fn: () => {
        runs++;
      },
      interval: { time: 100 },
    });
    pool.run();
    await clock.tick(250);

    expect(runs).toBe(3);
    expect(seen).toEqual([1, 2, 3]);
    const failures = logged.filter((line) => line.message.includes('listener failed'));
    expect(failures).toHaveLength(6);
    expect(failures[0]?.meta).toMatchObject({ event: 'run:started' });
    expect((failures[0]?.meta?.error as Error).message).toBe('listener down');
    expect(failures.some((line) => line.meta?.event === 'run:succeeded')).toBe(true);
  });

  it('calls a once listener for the first event only, and no listener after off', async () => {
    const { clock, pool } = setup();
    const once: number[] = [];
    const removed: number[] = [];
    const listener = ({ fence }: { fence: number }) => removed.push(fence);
    pool.once('run:started', ({ fence }) => once.push(fence));
    pool.on('run:started', listener);
    pool.addJob({ id: 'a', fn: () => undefined, interval: { time: 100 } });
    pool.run();
    await clock.flush();
    pool.off('run:started', listener);
    await clock.tick(250);

    expect(once).toEqual([1]);
    expect(removed).toEqual([1]);
  });

  it('lets a listener stop the job that just ran, and the job runs no more', async () => {
    const { clock, pool, events } = setup();
    pool.on('run:succeeded', ({ jobId }) => pool.stopJob(jobId));
    pool.addJob({ id: 'a', fn: () => undefined, interval: { time: 100 } });
    pool.run();
    await clock.tick(1_000);

    expect(events.of('run:started')).toHaveLength(1);
    expect(pool.getMetrics().a?.status).toBe('stopped');
  });

  it('lets a listener of run:started stop the run before the job is called', async () => {
    const { clock, pool } = setup();
    let calls = 0;
    pool.on('run:started', ({ jobId }) => pool.stopJob(jobId));
    pool.addJob({
      id: 'a',
      fn: () => {
        calls++;
      },
      interval: { time: 100 },
    });
    pool.run();
    await clock.tick(1_000);

    expect(calls).toBe(0);
    expect(pool.getMetrics().a?.status).toBe('stopped');
  });

  it('refuses an unknown event name and a listener that is not a function', () => {
    const { pool } = setup();
    const on = pool.on.bind(pool) as (event: string, listener: unknown) => unknown;

    expect(() => on('run:strated', () => undefined)).toThrow(OrbitError);
    expect(() => on('run:strated', () => undefined)).toThrow(/event must be one of run:started/);
    expect(() => on('run:started', 'nope')).toThrow(/listener must be a function/);
  });
});
