import { describe, expect, it } from 'vitest';
import { createHarness, intervalJob } from '../support/harness.js';
import { RunRecorder } from '../support/job-fns.js';

describe('waiting for a worker', () => {
  it('gives a freed worker to the earliest due run, then to the earliest added', async () => {
    const { clock, pool, t0 } = createHarness({ pool: { maxWorkers: 1 } });
    const order: string[] = [];
    const record = (id: string) => async () => {
      order.push(`${id}@${clock.now() - t0}`);
      await clock.sleep(100);
    };

    pool.addJob(intervalJob('blocker', () => clock.sleep(5_000), '1h'));
    pool.addJob(intervalJob('due-2s-first', record('due-2s-first'), '1h', { startAt: t0 + 2_000 }));
    pool.addJob(intervalJob('due-3s', record('due-3s'), '1h', { startAt: t0 + 3_000 }));
    pool.addJob(
      intervalJob('due-2s-second', record('due-2s-second'), '1h', { startAt: t0 + 2_000 }),
    );
    pool.addJob(intervalJob('due-1s', record('due-1s'), '1h', { startAt: t0 + 1_000 }));
    pool.run();
    await clock.tick(6_000);

    expect(order).toEqual([
      'due-1s@5000',
      'due-2s-first@5100',
      'due-2s-second@5200',
      'due-3s@5300',
    ]);
  });

  it('does not let frequent jobs starve one that has waited longer', async () => {
    const { clock, pool, t0 } = createHarness({ pool: { maxWorkers: 1 } });
    const first = new RunRecorder(clock, 150);
    const second = new RunRecorder(clock, 150);
    const patient = new RunRecorder(clock, 10);

    pool.addJob(intervalJob('frequent-1', first.fn, 100));
    pool.addJob(intervalJob('frequent-2', second.fn, 100));
    pool.addJob(intervalJob('patient', patient.fn, '1h', { startAt: t0 + 50 }));
    pool.run();
    await clock.tick(1_000);

    expect(first.startsFrom(t0)[0]).toBe(0);
    expect(second.startsFrom(t0)[0]).toBe(150);
    expect(patient.startsFrom(t0)).toEqual([300]);
  });

  it('runs jobs one at a time with maxWorkers 1, each in turn', async () => {
    const { clock, pool, t0 } = createHarness({ pool: { maxWorkers: 1 } });
    const order: string[] = [];

    for (const id of ['job1', 'job2', 'job3']) {
      pool.addJob(
        intervalJob(
          id,
          async () => {
            order.push(`${id}@${clock.now() - t0}`);
            await clock.sleep(1_000);
          },
          '1s',
        ),
      );
    }
    pool.run();
    await clock.tick(8_999);

    expect(order).toEqual([
      'job1@0',
      'job2@1000',
      'job3@2000',
      'job1@3000',
      'job2@4000',
      'job3@5000',
      'job1@6000',
      'job2@7000',
      'job3@8000',
    ]);
  });
});
