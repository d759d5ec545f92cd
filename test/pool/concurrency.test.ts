import { describe, expect, it } from 'vitest';
import type { JobControl } from '../../src/index.js';
import type { FakeClock } from '../support/fake-clock.js';
import { createHarness, intervalJob } from '../support/harness.js';
import { RunRecorder, untilAborted } from '../support/job-fns.js';

/** Counts runs in flight and remembers the most seen at once. */
class InFlight {
  current = 0;
  most = 0;

  readonly #clock: FakeClock;

  constructor(clock: FakeClock) {
    this.#clock = clock;
  }

  /** A job body that lasts `durationMs` while counted as in flight. */
  lasting(durationMs: number) {
    return async (_ctrl: JobControl) => {
      this.current += 1;
      this.most = Math.max(this.most, this.current);
      await this.#clock.sleep(durationMs);
      this.current -= 1;
    };
  }
}

describe('pool concurrency', () => {
  it('runs at most maxWorkers runs at once', async () => {
    const { clock, pool } = createHarness({ pool: { maxWorkers: 2 } });
    const inFlight = new InFlight(clock);

    for (const id of ['a', 'b', 'c', 'd', 'e']) {
      pool.addJob(intervalJob(id, inFlight.lasting(1_000), '1h'));
    }
    pool.run();
    await clock.tick(10_000);

    expect(inFlight.most).toBe(2);
  });

  it('starts a waiting run as soon as a worker frees up', async () => {
    const { clock, pool, t0 } = createHarness({ pool: { maxWorkers: 2 } });
    const recorders = ['a', 'b', 'c', 'd', 'e'].map((id) => {
      const recorder = new RunRecorder(clock, 1_000);
      pool.addJob(intervalJob(id, recorder.fn, '1h'));
      return recorder;
    });
    pool.run();
    await clock.tick(10_000);

    expect(recorders.map((recorder) => recorder.startsFrom(t0))).toEqual([
      [0],
      [0],
      [1_000],
      [1_000],
      [2_000],
    ]);
  });

  it('allows 1000 runs at once by default', async () => {
    const { clock, pool } = createHarness();
    const inFlight = new InFlight(clock);

    for (let index = 0; index < 1_005; index += 1) {
      pool.addJob(intervalJob(`job-${index}`, inFlight.lasting(1_000), '1h'));
    }
    pool.run();
    await clock.tick(500);

    expect(inFlight.current).toBe(1_000);
    await clock.tick(1_000);
    expect(inFlight.most).toBe(1_000);
  });

  it('counts a paused run as holding its worker', async () => {
    const { clock, pool, t0 } = createHarness({ pool: { maxWorkers: 1 } });
    const second = new RunRecorder(clock);

    pool.addJob(
      intervalJob(
        'pausable',
        async (ctrl) => {
          await clock.sleep(100);
          await ctrl.checkpoint();
        },
        '1h',
      ),
    );
    pool.addJob(intervalJob('second', second.fn, '1h'));
    pool.run();
    await clock.tick(50);
    pool.pauseJob('pausable', '10s');
    await clock.tick(5_000);
    expect(second.runs).toBe(0);
    pool.resumeJob('pausable');
    await clock.flush();

    expect(second.startsFrom(t0)).toEqual([5_050]);
  });

  it('frees the worker of a stopped run as soon as the run settles', async () => {
    const { clock, pool, t0 } = createHarness({ pool: { maxWorkers: 1 } });
    const second = new RunRecorder(clock);

    pool.addJob(intervalJob('stopped', untilAborted, '1h'));
    pool.addJob(intervalJob('second', second.fn, '1h'));
    pool.run();
    await clock.tick(300);
    pool.stopJob('stopped');
    await clock.flush();

    expect(second.startsFrom(t0)).toEqual([300]);
  });
});
