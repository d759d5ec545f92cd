import { describe, expect, it } from 'vitest';
import { JobStatus, type JobConfig } from '../../src/index.js';
import { createHarness, intervalJob, stateOf } from '../support/harness.js';
import { RunRecorder } from '../support/job-fns.js';
import { MemoryStore } from '../../src/store/memory-store.js';
import type { Store } from '../../src/store/store.js';

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;

/**
 * A pool (checkInterval of an hour, so only dispatch arms timers) with one job, on `store`
 * when given.
 */
function jobOnClock(job: (recorder: RunRecorder) => JobConfig, store?: Store) {
  const harness = createHarness({
    pool: { checkInterval: '1h', ...(store === undefined ? {} : { id: 'jumps', store }) },
  });
  const recorder = new RunRecorder(harness.clock);
  harness.pool.addJob(job(recorder));
  harness.pool.run();

  return { ...harness, recorder };
}

/** Asserts that no run started before its due instant and no due instant ran twice. */
function expectNeitherEarlyNorTwice(recorder: RunRecorder): void {
  recorder.startsMs.forEach((startMs, index) => {
    expect(startMs).toBeGreaterThanOrEqual(recorder.scheduledMs[index]!);
  });
  expect(new Set(recorder.scheduledMs).size).toBe(recorder.scheduledMs.length);
}

/** The steady time between successive runs. */
function steadyGapsMs(recorder: RunRecorder): number[] {
  return recorder.steadyStartsMs.slice(1).map((ms, index) => ms - recorder.steadyStartsMs[index]!);
}

describe('wall-clock jumps', () => {
  // An interval job may keep its cadence in elapsed time or on the wall clock; either way
  // a jump must not bring two runs closer than the interval, nor stop the job.
  it('keep the runs of an interval job an interval apart when the clock goes back', async () => {
    const { clock, recorder } = jobOnClock((r) => intervalJob('job', r.fn, '1h'));
    await clock.tick(30 * MINUTE_MS);

    clock.jumpTo(clock.now() - 2 * HOUR_MS - 30 * MINUTE_MS);
    await clock.tick(3 * HOUR_MS);

    expect(recorder.runs).toBeGreaterThanOrEqual(2);
    for (const gapMs of steadyGapsMs(recorder)) expect(gapMs).toBeGreaterThanOrEqual(HOUR_MS);
    expectNeitherEarlyNorTwice(recorder);
  });

  it('keep the runs of an interval job an interval apart when the clock goes forward', async () => {
    const { clock, recorder } = jobOnClock((r) => intervalJob('job', r.fn, '1h'));
    await clock.tick(10 * MINUTE_MS);

    clock.jumpTo(clock.now() + 5 * HOUR_MS + 10 * MINUTE_MS);
    await clock.tick(2 * HOUR_MS);

    const runsAfterJump = recorder.runs - 1;
    expect(runsAfterJump).toBeGreaterThanOrEqual(1);
    expect(runsAfterJump).toBeLessThanOrEqual(3);
    for (const gapMs of steadyGapsMs(recorder)) expect(gapMs).toBeGreaterThanOrEqual(HOUR_MS);
    expectNeitherEarlyNorTwice(recorder);
  });

  it('do not make a job fire before its startAt when the clock goes back', async () => {
    const startAtMs = Date.UTC(2026, 0, 1, 1);
    const { clock, recorder, t0 } = jobOnClock((r) =>
      intervalJob('job', r.fn, '1h', { startAt: startAtMs }),
    );
    await clock.tick(10 * MINUTE_MS);

    clock.jumpTo(t0 - 24 * HOUR_MS);
    await clock.tick(25 * HOUR_MS - 1);
    expect(recorder.runs).toBe(0);
    await clock.tick(1);

    expect(recorder.startsMs).toEqual([startAtMs]);
  });

  it('do not let a job run past its endAt when the clock goes forward', async () => {
    const t0 = Date.UTC(2026, 0, 1);
    const { clock, pool, recorder } = jobOnClock((r) =>
      intervalJob('job', r.fn, '1h', { endAt: t0 + 3 * HOUR_MS }),
    );
    await clock.tick(10 * MINUTE_MS);

    clock.jumpTo(t0 + 10 * HOUR_MS);
    await clock.tick(3 * HOUR_MS);

    expect(recorder.startsMs.every((ms) => ms <= t0 + 3 * HOUR_MS)).toBe(true);
    expect(stateOf(pool, 'job').status).toBe(JobStatus.Ended);
  });

  it('do not make a cron job fire twice for the same instant when the clock goes back', async () => {
    const { clock, recorder } = jobOnClock((r) => ({
      id: 'hourly',
      fn: r.fn,
      cron: '0 * * * *',
      timezone: 'UTC',
    }));
    await clock.tick(90 * MINUTE_MS);
    expect(recorder.startsMs).toEqual([Date.UTC(2026, 0, 1, 1)]);

    clock.jumpTo(Date.UTC(2026, 0, 1, 0, 45));
    await clock.tick(2 * HOUR_MS);

    expect(recorder.startsMs).toEqual([Date.UTC(2026, 0, 1, 1), Date.UTC(2026, 0, 1, 2)]);
    expectNeitherEarlyNorTwice(recorder);
  });

  it('do not make a cron job fire early when the clock goes back', async () => {
    const { clock, recorder } = jobOnClock((r) => ({
      id: 'hourly',
      fn: r.fn,
      cron: '0 * * * *',
      timezone: 'UTC',
    }));
    await clock.tick(30 * MINUTE_MS);

    clock.jumpTo(Date.UTC(2025, 11, 31, 22, 30));
    await clock.tick(30 * MINUTE_MS - 1);
    expect(recorder.runs).toBe(0);
    await clock.tick(1);

    expect(recorder.startsMs).toEqual([Date.UTC(2025, 11, 31, 23)]);
  });

  it('do not make a cron job fire a burst or never when the clock goes forward', async () => {
    const { clock, recorder } = jobOnClock((r) => ({
      id: 'hourly',
      fn: r.fn,
      cron: '0 * * * *',
      timezone: 'UTC',
    }));
    await clock.tick(90 * MINUTE_MS);

    clock.jumpTo(Date.UTC(2026, 0, 1, 5, 10));
    await clock.tick(HOUR_MS);

    const runsAfterJump = recorder.runs - 1;
    expect(runsAfterJump).toBeGreaterThanOrEqual(1);
    expect(runsAfterJump).toBeLessThanOrEqual(2);
    expect(recorder.startsMs).toContain(Date.UTC(2026, 0, 1, 6));
    expectNeitherEarlyNorTwice(recorder);
  });

  it('do not make a cron job on a store run the instants jumped over when the clock goes forward', async () => {
    const store = new MemoryStore();
    const { clock, recorder } = jobOnClock(
      (r) => ({ id: 'hourly', fn: r.fn, cron: '0 * * * *', timezone: 'UTC' }),
      store,
    );
    await clock.tick(90 * MINUTE_MS);

    clock.jumpTo(Date.UTC(2026, 0, 1, 5, 10));
    await clock.tick(HOUR_MS);

    const hours = [1, 6].map((hour) => Date.UTC(2026, 0, 1, hour));
    expect(recorder.scheduledMs).toEqual(hours);
    expect(recorder.startsMs).toEqual(hours);
    expect(store.job('jumps', 'hourly')?.dueAt).toBe(Date.UTC(2026, 0, 1, 7));
  });
});
