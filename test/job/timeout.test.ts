import { describe, expect, it } from 'vitest';
import { JobStatus, type JobControl, type OrbitError } from '../../src/index.js';
import { expectCode } from '../support/expect-error.js';
import { createHarness, intervalJob, stateOf } from '../support/harness.js';
import { ControlCapture, neverSettles, untilAborted } from '../support/job-fns.js';

const FOREVER = { active: true, count: 0 } as const;

describe('run timeout', () => {
  it('fails a run that lasts longer than its timeout with JOB_TIMEOUT', async () => {
    const { clock, pool, t0 } = createHarness();
    pool.addJob(intervalJob('slow', untilAborted, '1h', { timeout: '1s', retry: FOREVER }));
    pool.run();
    await clock.tick(999);
    expect(stateOf(pool, 'slow').status).toBe(JobStatus.Running);
    await clock.tick(1);

    const state = stateOf(pool, 'slow');
    expect(state.failure).toBe(1);
    expect(state.status).toBe(JobStatus.Waiting);
    expect(expectCode(state.error.jobError, 'JOB_TIMEOUT').jobId).toBe('slow');
    expect(state.endAt).toEqual(new Date(t0 + 1_000));
  });

  it('aborts the signal of a timed-out run with JOB_TIMEOUT', async () => {
    const { clock, pool } = createHarness();
    const capture = new ControlCapture();
    pool.addJob(intervalJob('slow', capture.fn, '1h', { timeout: 1_000 }));
    pool.run();
    await clock.tick(1_000);
    const { ctrl } = capture;

    expect(ctrl.signal.aborted).toBe(true);
    expectCode(ctrl.signal.reason, 'JOB_TIMEOUT');
  });

  it('hands an aborted signal to a job that first reads it after the timeout or a stop', async () => {
    const { clock, pool } = createHarness();
    const controls = new Map<string, JobControl>();
    const keep = (id: string) => (ctrl: JobControl) => {
      controls.set(id, ctrl);
      return clock.sleep(60_000);
    };
    pool.addJob(intervalJob('timed', keep('timed'), '1h', { timeout: 1_000 }));
    pool.addJob(intervalJob('stopped', keep('stopped'), '1h', { timeout: '1m' }));
    pool.run();
    await clock.tick(500);
    pool.stopJob('stopped');
    await clock.tick(500);

    const timed = controls.get('timed')?.signal;
    const stopped = controls.get('stopped')?.signal;
    expect(timed?.aborted).toBe(true);
    expectCode(timed?.reason, 'JOB_TIMEOUT');
    expect(stopped?.aborted).toBe(true);
    expectCode(stopped?.reason, 'JOB_STOPPED');
  });

  it('fails a run that ignores its signal at the timeout all the same', async () => {
    const { clock, pool } = createHarness();
    pool.addJob(intervalJob('stuck', neverSettles, '1h', { timeout: '2s', retry: FOREVER }));
    pool.run();
    await clock.tick(2_000);

    expect(stateOf(pool, 'stuck').failure).toBe(1);
    expectCode(stateOf(pool, 'stuck').error.jobError, 'JOB_TIMEOUT');
  });

  it('gives onError and finally the JOB_TIMEOUT error that is recorded as error.jobError', async () => {
    const { clock, pool } = createHarness();
    const errors: (OrbitError | undefined)[] = [];
    pool.addJob(
      intervalJob('slow', untilAborted, '1h', {
        timeout: 500,
        retry: FOREVER,
        hooks: {
          onError: { fn: (_ctrl, error) => errors.push(error) },
          finally: { fn: (_ctrl, error) => errors.push(error) },
        },
      }),
    );
    pool.run();
    await clock.tick(500);

    expect(errors).toHaveLength(2);
    expectCode(errors[0], 'JOB_TIMEOUT');
    expect(errors[0]).toBe(stateOf(pool, 'slow').error.jobError);
    expect(errors[1]).toBe(errors[0]);
  });

  it('ends a job without retries whose run timed out', async () => {
    const { clock, pool } = createHarness();
    pool.addJob(intervalJob('slow', untilAborted, '1s', { timeout: 300 }));
    pool.run();
    await clock.tick(5_000);

    expect(stateOf(pool, 'slow').status).toBe(JobStatus.Ended);
    expect(stateOf(pool, 'slow').failure).toBe(1);
  });

  it('leaves a run that ends in time alone', async () => {
    const { clock, pool } = createHarness();
    pool.addJob(intervalJob('quick', () => clock.sleep(999), '1h', { timeout: '1s' }));
    pool.run();
    await clock.tick(5_000);

    expect(stateOf(pool, 'quick').success).toBe(1);
    expect(stateOf(pool, 'quick').failure).toBe(0);
  });

  it("uses the pool's idleTimeout for a job that sets no timeout", async () => {
    const { clock, pool } = createHarness({ pool: { idleTimeout: '3s' } });
    pool.addJob(intervalJob('slow', untilAborted, '1h', { retry: FOREVER }));
    pool.run();
    await clock.tick(2_999);
    expect(stateOf(pool, 'slow').failure).toBe(0);
    await clock.tick(1);

    expectCode(stateOf(pool, 'slow').error.jobError, 'JOB_TIMEOUT');
  });

  it('lets a run go 100 hours by default', async () => {
    const { clock, pool } = createHarness({ pool: { checkInterval: '1h' } });
    pool.addJob(intervalJob('slow', untilAborted, '200h', { retry: FOREVER }));
    pool.run();
    await clock.tick(100 * 3_600_000 - 1);
    expect(stateOf(pool, 'slow').status).toBe(JobStatus.Running);
    await clock.tick(1);

    expectCode(stateOf(pool, 'slow').error.jobError, 'JOB_TIMEOUT');
  });

  it('prefers the job timeout to the pool idleTimeout', async () => {
    const { clock, pool } = createHarness({ pool: { idleTimeout: '1s' } });
    pool.addJob(intervalJob('long', () => clock.sleep(5_000), '1h', { timeout: '10s' }));
    pool.run();
    await clock.tick(6_000);

    expect(stateOf(pool, 'long').success).toBe(1);
  });

  it('does not count time spent paused', async () => {
    const { clock, pool } = createHarness();
    pool.addJob(
      intervalJob(
        'pausable',
        async (ctrl) => {
          await clock.sleep(600);
          await ctrl.checkpoint();
          await clock.sleep(300);
        },
        '1h',
        { timeout: '1s' },
      ),
    );
    pool.run();
    await clock.tick(500);
    pool.pauseJob('pausable', '10s');
    await clock.tick(5_000);
    pool.resumeJob('pausable');
    await clock.tick(1_000);

    expect(stateOf(pool, 'pausable').success).toBe(1);
    expect(stateOf(pool, 'pausable').failure).toBe(0);
  });

  it('counts the running time on both sides of a pause', async () => {
    const { clock, pool, t0 } = createHarness();
    pool.addJob(
      intervalJob(
        'pausable',
        async (ctrl) => {
          await clock.sleep(600);
          await ctrl.checkpoint();
          await clock.sleep(2_000);
        },
        '1h',
        { timeout: '1s', retry: FOREVER },
      ),
    );
    pool.run();
    await clock.tick(500);
    pool.pauseJob('pausable', '10s');
    await clock.tick(5_100);
    pool.resumeJob('pausable');
    await clock.tick(5_999 - 5_600);
    expect(stateOf(pool, 'pausable').failure).toBe(0);
    await clock.tick(101);

    expectCode(stateOf(pool, 'pausable').error.jobError, 'JOB_TIMEOUT');
    expect(clock.now()).toBe(t0 + 6_100);
  });
});
