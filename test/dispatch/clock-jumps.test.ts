import { describe, expect, it } from 'vitest';
import type { JobConfig } from '../../src/index.js';
import { createHarness, intervalJob } from '../support/harness.js';
import { RunRecorder } from '../support/job-fns.js';

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;

/** A pool (checkInterval of an hour, so only dispatch arms timers) with one job. */
function jobOnClock(job: (recorder: RunRecorder) => JobConfig) {
  const harness = createHarness({ pool: { checkInterval: '1h' } });
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

describe('wall-clock jumps', () => {
  it('do not make an interval job fire early when the clock goes back', async () => {
    const { clock, recorder, t0 } = jobOnClock((r) => intervalJob('job', r.fn, '1h'));
    await clock.tick(30 * MINUTE_MS);

    clock.jumpTo(t0 - 2 * HOUR_MS);
    await clock.tick(3 * HOUR_MS - 1);
    expect(recorder.startsFrom(t0)).toEqual([0]);
    await clock.tick(1);

    expect(recorder.startsFrom(t0)).toEqual([0, HOUR_MS]);
    expectNeitherEarlyNorTwice(recorder);
  });

  it('do not make a job fire before its startAt when the clock goes back', async () => {
    const { clock, recorder, t0 } = jobOnClock((r) =>
      intervalJob('job', r.fn, '1h', { startAt: Date.UTC(2026, 0, 1, 1) }),
    );
    await clock.tick(10 * MINUTE_MS);

    clock.jumpTo(t0 - 24 * HOUR_MS);
    await clock.tick(25 * HOUR_MS - 1);
    expect(recorder.runs).toBe(0);
    await clock.tick(1);

    expect(recorder.startsMs).toEqual([Date.UTC(2026, 0, 1, 1)]);
  });

  it('do not make an interval job fire a burst or never when the clock goes forward', async () => {
    const { clock, recorder, t0 } = jobOnClock((r) => intervalJob('job', r.fn, '1h'));
    await clock.tick(10 * MINUTE_MS);

    clock.jumpTo(t0 + 5 * HOUR_MS + 20 * MINUTE_MS);
    await clock.tick(HOUR_MS);

    const runsAfterJump = recorder.runs - 1;
    expect(runsAfterJump).toBeGreaterThanOrEqual(1);
    expect(runsAfterJump).toBeLessThanOrEqual(2);
    await clock.tick(HOUR_MS);
    expect(recorder.startsMs).toContain(t0 + 7 * HOUR_MS);
    expectNeitherEarlyNorTwice(recorder);
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
});
