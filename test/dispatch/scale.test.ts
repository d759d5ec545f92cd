import { performance } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import { Orbit, type Clock } from '../../src/index.js';
import { createFakeClock } from '../support/fake-clock.js';
import { createHarness, intervalJob } from '../support/harness.js';
import { RunRecorder } from '../support/job-fns.js';

const HOUR_MS = 3_600_000;

/** A fake clock that counts how many timer callbacks it ran. */
function countingClock(startMs?: number) {
  const fake = createFakeClock(startMs);
  const counter = { fired: 0 };
  const clock: Clock = {
    now: () => fake.now(),
    monotonic: () => fake.monotonic(),
    setTimeout: (callback, delayMs) =>
      fake.setTimeout(() => {
        counter.fired += 1;
        callback();
      }, delayMs),
    clearTimeout: (handle) => fake.clearTimeout(handle),
  };

  return { fake, clock, counter };
}

describe('dispatch at scale', () => {
  it('starts a due job at its instant with 100,000 jobs registered', async () => {
    const { clock, pool, t0 } = createHarness();
    const recorder = new RunRecorder(clock);
    for (let index = 0; index < 100_000; index += 1) {
      pool.addJob(intervalJob(`idle-${index}`, () => undefined, '1h', { startAt: t0 + HOUR_MS }));
    }
    pool.addJob(intervalJob('due', recorder.fn, '1h', { startAt: t0 + 5_000 }));
    pool.run();
    await clock.tick(4_999);
    expect(recorder.runs).toBe(0);

    const beforeMs = performance.now();
    await clock.tick(1);
    const dispatchMs = performance.now() - beforeMs;

    expect(recorder.startsFrom(t0)).toEqual([5_000]);
    expect(dispatchMs).toBeLessThan(250);
  });

  it('wakes an idle pool no more than once a minute', async () => {
    const { fake, clock, counter } = countingClock();
    const pool = new Orbit({ clock }).createPool();
    for (let index = 0; index < 1_000; index += 1) {
      pool.addJob(
        intervalJob(`job-${index}`, () => undefined, '1d', { startAt: fake.now() + 2 * HOUR_MS }),
      );
    }
    pool.run();
    await fake.tick(1_000);
    const firedBefore = counter.fired;

    await fake.tick(HOUR_MS);

    expect(counter.fired - firedBefore).toBeLessThanOrEqual(60);
  });

  it('wakes an empty running pool no more than once a minute', async () => {
    const { fake, clock, counter } = countingClock();
    const pool = new Orbit({ clock }).createPool();
    pool.run();

    await fake.tick(HOUR_MS);

    expect(counter.fired).toBeLessThanOrEqual(60);
  });
});
