import { describe, expect, it } from 'vitest';
import type { JobData } from '../../src/index.js';
import { RecordingMonitoring } from '../support/recording-monitoring.js';
import { createHarness, intervalJob, stateOf } from '../support/harness.js';

describe('job data', () => {
  it('merges each saveData into the data, shallowly', async () => {
    const { clock, pool } = createHarness();
    let seen: JobData | undefined;

    pool.addJob(
      intervalJob(
        'job',
        (ctrl) => {
          ctrl.saveData({ a: 1, nested: { x: 1, y: 2 } });
          ctrl.saveData({ b: 2, nested: { x: 3 } });
          seen = ctrl.getData();
        },
        '1h',
      ),
    );
    pool.run();
    await clock.flush();

    expect(seen).toEqual({ a: 1, b: 2, nested: { x: 3 } });
  });

  it('hands out a copy that does not change the data when changed', async () => {
    const { clock, pool } = createHarness();
    let after: JobData | undefined;

    pool.addJob(
      intervalJob(
        'job',
        (ctrl) => {
          ctrl.saveData({ count: 1 });
          const copy = ctrl.getData();
          copy.count = 99;
          copy.extra = true;
          after = ctrl.getData();
        },
        '1h',
      ),
    );
    pool.run();
    await clock.flush();

    expect(after).toEqual({ count: 1 });
  });

  it('reports every saveData to monitoring at once', async () => {
    const monitoring = new RecordingMonitoring();
    const { clock, pool } = createHarness({ monitoring });
    const savedDuringRun: JobData[] = [];

    pool.addJob(
      intervalJob(
        'job',
        async (ctrl) => {
          ctrl.saveData({ uploaded: 1_000 });
          savedDuringRun.push(monitoring.savesOf('job').at(-1)?.data ?? {});
          await clock.sleep(100);
          ctrl.saveData({ uploaded: 2_000 });
          savedDuringRun.push(monitoring.savesOf('job').at(-1)?.data ?? {});
        },
        '1h',
      ),
    );
    pool.run();
    await clock.tick(200);

    expect(savedDuringRun).toEqual([{ uploaded: 1_000 }, { uploaded: 2_000 }]);
  });

  it('carries data from onStart to the job and to finally', async () => {
    const { clock, pool } = createHarness();
    const seen: JobData[] = [];

    pool.addJob(
      intervalJob(
        'job',
        (ctrl) => {
          seen.push(ctrl.getData());
          ctrl.saveData({ uploaded: 10 });
        },
        '1h',
        {
          hooks: {
            onStart: { fn: (ctrl) => ctrl.saveData({ rowCnt: 10, uploaded: 0 }) },
            finally: { fn: (ctrl) => seen.push(ctrl.getData()) },
          },
        },
      ),
    );
    pool.run();
    await clock.flush();

    expect(seen).toEqual([
      { rowCnt: 10, uploaded: 0 },
      { rowCnt: 10, uploaded: 10 },
    ]);
  });

  it('wipes the data at the start of every run', async () => {
    const { clock, pool } = createHarness();
    const atStart: JobData[] = [];

    pool.addJob(
      intervalJob(
        'job',
        (ctrl) => {
          atStart.push(ctrl.getData());
          ctrl.saveData({ run: atStart.length });
        },
        '1s',
      ),
    );
    pool.run();
    await clock.tick(2_000);

    expect(atStart).toEqual([{}, {}, {}]);
  });

  it('keeps the data of the latest run in metrics until the next run starts', async () => {
    const { clock, pool } = createHarness();

    pool.addJob(
      intervalJob(
        'job',
        async (ctrl) => {
          await clock.sleep(100);
          ctrl.saveData({ done: true });
        },
        '1s',
      ),
    );
    pool.run();
    await clock.tick(500);
    expect(stateOf(pool, 'job').data).toEqual({ done: true });
    await clock.tick(550);

    expect(stateOf(pool, 'job').data).toEqual({});
  });

  it('starts every run with empty data even when onStart of the last run saved some', async () => {
    const { clock, pool } = createHarness();
    const inOnStart: JobData[] = [];

    pool.addJob(
      intervalJob('job', () => undefined, '1s', {
        hooks: {
          onStart: {
            fn: (ctrl) => {
              inOnStart.push(ctrl.getData());
              ctrl.saveData({ seen: true });
            },
          },
        },
      }),
    );
    pool.run();
    await clock.tick(1_000);

    expect(inOnStart).toEqual([{}, {}]);
  });
});
