import { describe, expect, it } from 'vitest';
import { createHarness, intervalJob, stateOf } from '../support/harness.js';
import { RunRecorder } from '../support/job-fns.js';

const DAY_MS = 86_400_000;
/** Node's longest timer delay: 2^31 - 1 ms, about 24.8 days. */
const NODE_TIMER_LIMIT_MS = 2 ** 31 - 1;

describe('waits longer than a Node timer can hold', () => {
  it('runs a 30-day interval job every 30 days to the millisecond', async () => {
    const { clock, pool, t0 } = createHarness({ pool: { checkInterval: '1h' } });
    const recorder = new RunRecorder(clock);

    pool.addJob(intervalJob('monthly', recorder.fn, '30d'));
    pool.run();
    await clock.tick(30 * DAY_MS - 1);
    expect(recorder.startsFrom(t0)).toEqual([0]);
    await clock.tick(1 + 30 * DAY_MS);

    expect(recorder.startsFrom(t0)).toEqual([0, 30 * DAY_MS, 60 * DAY_MS]);
  });

  it('runs a job whose startAt is 40 days ahead at that instant, not before', async () => {
    const { clock, pool, t0 } = createHarness({ pool: { checkInterval: '1h' } });
    const recorder = new RunRecorder(clock);
    const startAtMs = t0 + 40 * DAY_MS + 123;

    pool.addJob(intervalJob('later', recorder.fn, '1h', { startAt: startAtMs }));
    pool.run();
    await clock.tick(startAtMs - t0 - 1);
    expect(recorder.runs).toBe(0);
    await clock.tick(1);

    expect(recorder.startsMs).toEqual([startAtMs]);
  });

  it('does not fire early when the wait is just over the Node timer limit', async () => {
    const { clock, pool, t0 } = createHarness({ pool: { checkInterval: '1h' } });
    const recorder = new RunRecorder(clock);
    const waitMs = NODE_TIMER_LIMIT_MS + 1;

    pool.addJob(intervalJob('edge', recorder.fn, '1d', { startAt: t0 + waitMs }));
    pool.run();
    await clock.tick(waitMs - 1);
    expect(recorder.runs).toBe(0);
    await clock.tick(1);

    expect(recorder.startsFrom(t0)).toEqual([waitMs]);
  });

  it('shows a far next run in metrics', async () => {
    const { clock, pool, t0 } = createHarness();

    pool.addJob(intervalJob('later', () => undefined, '1h', { startAt: t0 + 40 * DAY_MS }));
    pool.run();
    await clock.flush();

    expect(stateOf(pool, 'later').nextRun).toEqual(new Date(t0 + 40 * DAY_MS));
  });
});
