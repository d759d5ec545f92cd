import { describe, expect, it } from 'vitest';
import { JobStatus, type JobControl } from '../../src/index.js';
import { expectCode } from '../support/expect-error.js';
import { createHarness, intervalJob, stateOf } from '../support/harness.js';

/** Tracks whether a promise has settled yet. */
function track(promise: Promise<unknown>): { settled: boolean } {
  const tracker = { settled: false };
  void promise.then(() => (tracker.settled = true));
  return tracker;
}

/** A pool with one job whose runs take 500 ms, every 100 ms, started and in its first run. */
async function longRuns() {
  const harness = createHarness();
  const signals: AbortSignal[] = [];
  harness.pool.addJob(
    intervalJob(
      'long',
      async (ctrl: JobControl) => {
        signals.push(ctrl.signal);
        await harness.clock.sleep(500);
      },
      100,
    ),
  );
  harness.pool.run();
  await harness.clock.tick(100);
  return { ...harness, signals };
}

describe('pool.kill with a grace period', () => {
  it('lets the run in progress finish, starts no other, then stops the job', async () => {
    const { clock, pool, signals } = await longRuns();
    const killed = track(pool.kill({ grace: '1s' }));
    await clock.tick(399);

    expect(killed.settled).toBe(false);
    await clock.tick(1);
    expect(killed.settled).toBe(true);
    expect(signals).toHaveLength(1);
    expect(signals[0]?.aborted).toBe(false);
    const state = stateOf(pool, 'long');
    expect(state.success).toBe(1);
    expect(state.status).toBe(JobStatus.Stopped);
    expectCode(state.error.jobError, 'POOL_SHUTDOWN');
  });

  it('aborts a run that outlasts the grace period with POOL_SHUTDOWN', async () => {
    const { clock, pool, signals } = await longRuns();
    const killed = track(pool.kill({ grace: 200, timeout: 50 }));
    await clock.tick(199);

    expect(signals[0]?.aborted).toBe(false);
    await clock.tick(1);
    expect(signals[0]?.aborted).toBe(true);
    expectCode(signals[0]?.reason, 'POOL_SHUTDOWN');
    await clock.tick(50);
    expect(killed.settled).toBe(true);
    expect(stateOf(pool, 'long').success).toBe(0);
  });

  it('ends the grace period at once on a second kill()', async () => {
    const { clock, pool, signals } = await longRuns();
    const first = pool.kill({ grace: '1h' });
    await clock.tick(10);
    const second = pool.kill();
    await clock.flush();

    expect(second).toBe(first);
    expect(signals[0]?.aborted).toBe(true);
  });

  it('stops waiting for a run that ignores its signal on a second kill({ timeout: 0 })', async () => {
    const { clock, pool } = createHarness();
    pool.addJob(intervalJob('deaf', () => clock.sleep(10_000), '1h'));
    pool.run();
    await clock.flush();
    const killed = track(pool.kill({ grace: '1h', timeout: '30s' }));
    await clock.tick(10);
    void pool.kill({ timeout: 0 });
    await clock.tick(0);

    expect(killed.settled).toBe(true);
    expect(stateOf(pool, 'deaf').status).toBe(JobStatus.Stopped);
  });

  it('still times out a run that lasts past its timeout during the grace period', async () => {
    const { clock, pool } = createHarness();
    pool.addJob(intervalJob('stuck', () => clock.sleep(10_000), '1h', { timeout: 300 }));
    pool.run();
    await clock.flush();
    const killed = track(pool.kill({ grace: '1h' }));
    await clock.tick(300);

    expect(killed.settled).toBe(true);
    const state = stateOf(pool, 'stuck');
    expect(state.failure).toBe(1);
  });

  it('refuses new jobs and a bad grace', async () => {
    const { clock, pool } = await longRuns();
    const killed = pool.kill({ grace: '1s' });

    expect(() => pool.addJob(intervalJob('late', () => undefined, 100))).toThrow(
      expect.objectContaining({ code: 'POOL_SHUTDOWN' }) as Error,
    );
    await clock.tick(1_000);
    await killed;
    const { pool: other } = createHarness();
    await expect(other.kill({ grace: '-1s' })).rejects.toMatchObject({
      code: 'INVALID_DURATION',
    });
  });
});
