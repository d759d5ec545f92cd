import { describe, expect, it } from 'vitest';
import { JobStatus, Orbit, type JobControl } from '../../src/index.js';
import { MemoryStore } from '../../src/store/memory-store.js';
import { asyncStore } from '../support/async-store.js';
import { createFakeClock } from '../support/fake-clock.js';
import { expectCode, expectOrbitError } from '../support/expect-error.js';
import { createHarness, intervalJob, stateOf } from '../support/harness.js';
import { RunRecorder, deferred, neverSettles, untilAborted } from '../support/job-fns.js';

/** Tracks whether a promise has settled yet. */
function track(promise: Promise<unknown>): { settled: boolean } {
  const tracker = { settled: false };
  void promise.then(() => (tracker.settled = true));

  return tracker;
}

describe('pool.kill', () => {
  it('aborts every running run with POOL_SHUTDOWN', async () => {
    const { clock, pool } = createHarness();
    const controls: JobControl[] = [];
    const job = (ctrl: JobControl) => {
      controls.push(ctrl);
      return untilAborted(ctrl);
    };

    pool.addJob(intervalJob('a', job, '1h'));
    pool.addJob(intervalJob('b', job, '1h'));
    pool.run();
    await clock.flush();
    await pool.kill();

    expect(controls).toHaveLength(2);
    for (const ctrl of controls) {
      expect(ctrl.signal.aborted).toBe(true);
      expectCode(ctrl.signal.reason, 'POOL_SHUTDOWN');
    }
  });

  it('gives each job its own POOL_SHUTDOWN error and leaves stack traces on afterwards', async () => {
    const { clock, pool } = createHarness();
    pool.addJob(intervalJob('waiting', () => undefined, '1h'));
    pool.addJob(intervalJob('running', untilAborted, '1h'));
    pool.run();
    await clock.flush();
    const limitBefore = Error.stackTraceLimit;

    await pool.kill();

    const errors = ['waiting', 'running'].map((id) => stateOf(pool, id).error.jobError);
    expect(expectCode(errors[0], 'POOL_SHUTDOWN').jobId).toBe('waiting');
    expect(expectCode(errors[1], 'POOL_SHUTDOWN').jobId).toBe('running');
    expect(Error.stackTraceLimit).toBe(limitBefore);
    expect(new Error('after the kill').stack).toContain('kill.test');
  });

  it('settles as soon as the runs that honour the signal have settled', async () => {
    const { clock, pool } = createHarness();
    pool.addJob(intervalJob('a', untilAborted, '1h'));
    pool.run();
    await clock.flush();

    const killed = track(pool.kill({ timeout: '10s' }));
    await clock.flush();

    expect(killed.settled).toBe(true);
  });

  it('waits up to its timeout for a run that ignores the signal, then abandons it', async () => {
    const { clock, pool } = createHarness();
    pool.addJob(intervalJob('stubborn', neverSettles, '1h'));
    pool.run();
    await clock.flush();

    const killed = track(pool.kill({ timeout: '5s' }));
    await clock.tick(4_999);
    expect(killed.settled).toBe(false);
    await clock.tick(1);

    expect(killed.settled).toBe(true);
    expect(stateOf(pool, 'stubborn').status).toBe(JobStatus.Stopped);
  });

  it('waits 30 seconds by default', async () => {
    const { clock, pool } = createHarness();
    pool.addJob(intervalJob('stubborn', neverSettles, '1h'));
    pool.run();
    await clock.flush();

    const killed = track(pool.kill());
    await clock.tick(29_999);
    expect(killed.settled).toBe(false);
    await clock.tick(1);

    expect(killed.settled).toBe(true);
  });

  it('records every job as stopped with POOL_SHUTDOWN, running or not', async () => {
    const { clock, pool, t0 } = createHarness();
    pool.addJob(intervalJob('running', untilAborted, '1h'));
    pool.addJob(intervalJob('waiting', () => undefined, '1h', { startAt: t0 + 60_000 }));
    pool.addJob(intervalJob('stopped', untilAborted, '1h'));
    pool.run();
    await clock.flush();
    pool.stopJob('stopped');

    await pool.kill();

    for (const id of ['running', 'waiting', 'stopped']) {
      const state = stateOf(pool, id);
      expect(state.status).toBe(JobStatus.Stopped);
      expectCode(state.error.jobError, 'POOL_SHUTDOWN');
    }
  });

  it('does not count the aborted run as a failure', async () => {
    const { clock, pool } = createHarness();
    pool.addJob(intervalJob('a', untilAborted, '1h', { retry: { active: true, count: 0 } }));
    pool.run();
    await clock.flush();

    await pool.kill();
    await clock.tick(1_000);

    expect(stateOf(pool, 'a').failure).toBe(0);
    expect(stateOf(pool, 'a').status).toBe(JobStatus.Stopped);
  });

  it('leaves an abandoned run stopped when it settles later', async () => {
    const { clock, pool } = createHarness();
    const gate = deferred();
    pool.addJob(intervalJob('late', () => gate.promise, '1h'));
    pool.run();
    await clock.flush();

    const killing = pool.kill({ timeout: 1_000 });
    await clock.tick(1_000);
    await killing;
    gate.resolve();
    await clock.tick(1_000);

    expect(stateOf(pool, 'late').status).toBe(JobStatus.Stopped);
    expect(stateOf(pool, 'late').success).toBe(0);
  });

  it('removes every job from the pool', async () => {
    const { clock, pool } = createHarness();
    pool.addJob(intervalJob('a', untilAborted, '1h'));
    pool.run();
    await clock.flush();

    await pool.kill();

    expectOrbitError(() => pool.stopJob('a'), 'JOB_NOT_FOUND');
  });

  it('runs no job after the kill', async () => {
    const { clock, pool } = createHarness();
    const recorder = new RunRecorder(clock);
    pool.addJob(intervalJob('a', recorder.fn, '1s'));
    pool.run();
    await clock.tick(1_500);

    await pool.kill();
    await clock.tick(60_000);

    expect(recorder.runs).toBe(2);
  });

  it('makes run() throw POOL_SHUTDOWN afterwards', async () => {
    const { pool } = createHarness();
    pool.run();

    await pool.kill();

    expectOrbitError(() => pool.run(), 'POOL_SHUTDOWN');
  });

  it('kills a pool that never ran', async () => {
    const { clock, pool } = createHarness();
    const recorder = new RunRecorder(clock);
    pool.addJob(intervalJob('a', recorder.fn, '1s'));

    await pool.kill();
    await clock.tick(5_000);

    expect(recorder.runs).toBe(0);
    expect(stateOf(pool, 'a').status).toBe(JobStatus.Stopped);
    expectOrbitError(() => pool.run(), 'POOL_SHUTDOWN');
  });

  it('rejects the pending checkpoint of a paused job with POOL_SHUTDOWN', async () => {
    const { clock, pool } = createHarness();
    const checkpointOutcome = deferred<unknown>();
    pool.addJob(
      intervalJob(
        'paused',
        async (ctrl) => {
          await clock.sleep(100);
          await ctrl.checkpoint().catch((error: unknown) => checkpointOutcome.resolve(error));
        },
        '1h',
      ),
    );
    pool.run();
    await clock.flush();
    pool.pauseJob('paused', '10s');
    await clock.tick(200);

    await pool.kill();

    expectCode(await checkpointOutcome.promise, 'POOL_SHUTDOWN');
  });

  it('refuses a negative timeout with INVALID_DURATION', async () => {
    const { pool } = createHarness();

    let thrown: unknown;
    try {
      await pool.kill({ timeout: -1 });
    } catch (error) {
      thrown = error;
    }

    expectCode(thrown, 'INVALID_DURATION');
  });

  it('rejects options that are not an object, or that it does not know, with INVALID_CONFIG', async () => {
    const { pool } = createHarness();
    pool.addJob(intervalJob('a', untilAborted, '1h'));

    for (const options of [null, 5, 'now', [], { timout: 5_000 }]) {
      // A promise that rejects, as the call's type says, rather than a throw.
      const answer = pool.kill(options as never);
      await expect(answer).rejects.toMatchObject({ code: 'INVALID_CONFIG' });
    }
    await expect(pool.kill({ grace: 'soon' })).rejects.toMatchObject({
      code: 'INVALID_DURATION',
    });
    // Refused before anything happened: the pool still works, and a good kill goes through.
    pool.run();
    await pool.kill({ timeout: 0 });
    expectOrbitError(() => pool.run(), 'POOL_SHUTDOWN');
  });
});

describe('pool.kill on a store that answers later', () => {
  it('waits for a claim on its way, so the store keeps no lease for a run that never started', async () => {
    const clock = createFakeClock();
    const inner = new MemoryStore();
    // What the store's answers wait for, once set.
    const gate: { until?: Promise<void> } = {};
    const store = asyncStore(inner, () => gate.until);
    const pool = new Orbit({ clock }).createPool({ id: 'p', store });
    const ran: number[] = [];
    pool.addJob({
      id: 'j',
      interval: { time: '1h' },
      startAt: clock.now() + 1_000,
      fn: () => {
        ran.push(clock.now());
      },
    });
    pool.run();
    await clock.flush();

    // The tick falls due; its claim is sent, and the answer held back.
    const held = deferred();
    gate.until = held.promise;
    await clock.tick(1_000);
    const killed = pool.kill();
    held.resolve();
    await killed;

    expect(ran).toEqual([]);
    // The claim was won after the kill: the run it granted is closed in the store, and
    // the job waits for its next tick.
    expect(inner.job('p', 'j')).toMatchObject({
      status: 'waiting',
      fence: 1,
      lastError: { code: 'JOB_STOPPED' },
    });
  });
});
