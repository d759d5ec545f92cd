import { describe, expect, it } from 'vitest';
import { createHarness, intervalJob, stateOf } from '../support/harness.js';
import { RunRecorder } from '../support/job-fns.js';

describe('interval timing', () => {
  it('runs a job every interval on a fixed grid', async () => {
    const { clock, pool, t0 } = createHarness();
    const recorder = new RunRecorder(clock, 250);

    pool.addJob(intervalJob('job', recorder.fn, '1s'));
    pool.run();
    await clock.tick(4_500);

    expect(recorder.startsFrom(t0)).toEqual([0, 1_000, 2_000, 3_000, 4_000]);
  });

  it('accepts compound duration strings for the interval', async () => {
    const { clock, pool, t0 } = createHarness({ pool: { checkInterval: '1h' } });
    const recorder = new RunRecorder(clock);

    pool.addJob(intervalJob('job', recorder.fn, '1h30m'));
    pool.run();
    await clock.tick(3 * 5_400_000);

    expect(recorder.startsFrom(t0)).toEqual([0, 5_400_000, 10_800_000, 16_200_000]);
  });

  it('skips the ticks that fall due during a run and resumes on the grid', async () => {
    const { clock, pool, t0 } = createHarness();
    const recorder = new RunRecorder(clock, 2_500);

    pool.addJob(intervalJob('job', recorder.fn, '1s'));
    pool.run();
    await clock.tick(9_500);

    expect(recorder.startsFrom(t0)).toEqual([0, 3_000, 6_000, 9_000]);
  });

  it('never overlaps a run of the same job', async () => {
    const { clock, pool } = createHarness();
    let inFlight = 0;
    let most = 0;

    pool.addJob(
      intervalJob(
        'job',
        async () => {
          inFlight += 1;
          most = Math.max(most, inFlight);
          await clock.sleep(1_750);
          inFlight -= 1;
        },
        100,
      ),
    );
    pool.run();
    await clock.tick(20_000);

    expect(most).toBe(1);
  });

  it('keeps to its grid when a run starts late', async () => {
    const { clock, pool, t0 } = createHarness({ pool: { maxWorkers: 1 } });
    const blocker = new RunRecorder(clock, 1_500);
    const late = new RunRecorder(clock, 100);

    pool.addJob(intervalJob('blocker', blocker.fn, '1h'));
    pool.addJob(intervalJob('late', late.fn, '1s'));
    pool.run();
    await clock.tick(3_500);

    expect(late.startsFrom(t0)).toEqual([1_500, 2_000, 3_000]);
    expect(late.scheduledMs.slice(1).map((ms) => ms - t0)).toEqual([2_000, 3_000]);
  });

  it('starts a job at its due instant, whatever the checkInterval', async () => {
    const { clock, pool, t0 } = createHarness({ pool: { checkInterval: '1h' } });
    const recorder = new RunRecorder(clock);

    pool.addJob(intervalJob('job', recorder.fn, 777, { startAt: t0 + 1_234 }));
    pool.run();
    await clock.tick(1_233);
    expect(recorder.runs).toBe(0);
    await clock.tick(1 + 777);

    expect(recorder.startsFrom(t0)).toEqual([1_234, 2_011]);
  });

  it('shows the next due instant as nextRun while waiting', async () => {
    const { clock, pool, t0 } = createHarness();

    pool.addJob(intervalJob('job', () => undefined, '10s', { startAt: t0 + 5_000 }));
    pool.run();
    await clock.tick(1_000);
    expect(stateOf(pool, 'job').nextRun).toEqual(new Date(t0 + 5_000));
    await clock.tick(4_000);

    expect(stateOf(pool, 'job').nextRun).toEqual(new Date(t0 + 15_000));
  });

  it('starts jobs due at the same instant in the order they were added', async () => {
    const { clock, pool, t0 } = createHarness();
    const order: string[] = [];

    for (const id of ['charlie', 'alpha', 'bravo', 'delta']) {
      pool.addJob(intervalJob(id, () => order.push(id), '1s', { startAt: t0 + 1_000 }));
    }
    pool.run();
    await clock.tick(2_000);

    expect(order).toEqual([
      'charlie',
      'alpha',
      'bravo',
      'delta',
      'charlie',
      'alpha',
      'bravo',
      'delta',
    ]);
  });

  it('keeps the order of addition for jobs whose grids meet', async () => {
    const { clock, pool } = createHarness();
    const order: string[] = [];

    pool.addJob(intervalJob('every-3s', () => order.push('every-3s'), '3s'));
    pool.addJob(intervalJob('every-2s', () => order.push('every-2s'), '2s'));
    pool.run();
    await clock.tick(6_000);

    expect(order).toEqual([
      'every-3s',
      'every-2s',
      'every-2s',
      'every-3s',
      'every-2s',
      'every-3s',
      'every-2s',
    ]);
  });
});
