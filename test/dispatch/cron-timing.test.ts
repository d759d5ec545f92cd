import { describe, expect, it } from 'vitest';
import { nextRuns } from '../../src/index.js';
import { createHarness } from '../support/harness.js';
import { RunRecorder } from '../support/job-fns.js';

interface CronCase {
  label: string;
  cron: string;
  timezone: string;
  from: string;
  /** The fire instants the contract expects, in order. */
  fires: string[];
}

const cases: CronCase[] = [
  {
    label: 'every five minutes',
    cron: '*/5 * * * *',
    timezone: 'UTC',
    from: '2026-01-01T00:02:00Z',
    fires: ['2026-01-01T00:05:00Z', '2026-01-01T00:10:00Z', '2026-01-01T00:15:00Z'],
  },
  {
    label: 'a six-field expression with seconds',
    cron: '*/15 * * * * *',
    timezone: 'UTC',
    from: '2026-01-01T00:00:00Z',
    fires: ['2026-01-01T00:00:15Z', '2026-01-01T00:00:30Z', '2026-01-01T00:00:45Z'],
  },
  {
    label: 'weekdays at nine in London',
    cron: '0 9 * * MON-FRI',
    timezone: 'Europe/London',
    from: '2026-01-01T12:00:00Z',
    fires: ['2026-01-02T09:00:00Z', '2026-01-05T09:00:00Z', '2026-01-06T09:00:00Z'],
  },
  {
    label: '@hourly in a half-hour zone',
    cron: '@hourly',
    timezone: 'Asia/Kolkata',
    from: '2022-03-03T10:00:00Z',
    fires: ['2022-03-03T16:00:00+05:30', '2022-03-03T17:00:00+05:30', '2022-03-03T18:00:00+05:30'],
  },
  {
    label: 'a fixed time inside the spring-forward gap in New York',
    cron: '30 2 * * *',
    timezone: 'America/New_York',
    from: '2021-03-13T12:00:00-05:00',
    fires: ['2021-03-14T03:00:00-04:00', '2021-03-15T02:30:00-04:00', '2021-03-16T02:30:00-04:00'],
  },
  {
    label: 'a fixed time in the repeated hour when New York falls back',
    cron: '30 1 * * *',
    timezone: 'America/New_York',
    from: '2021-11-06T12:00:00-04:00',
    fires: ['2021-11-07T01:30:00-04:00', '2021-11-08T01:30:00-05:00', '2021-11-09T01:30:00-05:00'],
  },
  {
    label: 'a wildcard hour through the repeated hour in Vienna',
    cron: '30 * * * *',
    timezone: 'Europe/Vienna',
    from: '2017-10-29T01:05:00+02:00',
    fires: [
      '2017-10-29T01:30:00+02:00',
      '2017-10-29T02:30:00+02:00',
      '2017-10-29T02:30:00+01:00',
      '2017-10-29T03:30:00+01:00',
    ],
  },
  {
    label: 'a step through the missing hour in London',
    cron: '*/20 * * * *',
    timezone: 'Europe/London',
    from: '2016-03-27T00:30:00+00:00',
    fires: ['2016-03-27T00:40:00+00:00', '2016-03-27T02:00:00+01:00', '2016-03-27T02:20:00+01:00'],
  },
  {
    label: 'every fifteen minutes when Lord Howe falls back half an hour',
    cron: '*/15 * * * *',
    timezone: 'Australia/Lord_Howe',
    from: '2026-04-05T01:20:00+11:00',
    fires: [
      '2026-04-05T01:30:00+11:00',
      '2026-04-05T01:45:00+11:00',
      '2026-04-05T01:30:00+10:30',
      '2026-04-05T01:45:00+10:30',
    ],
  },
];

/** Runs a cron job from `from` until its last expected fire, recording what fired when. */
async function firesOf(testCase: CronCase) {
  const fromMs = Date.parse(testCase.from);
  const { clock, pool } = createHarness({ startMs: fromMs, pool: { checkInterval: '1h' } });
  const recorder = new RunRecorder(clock);
  const lastMs = Date.parse(testCase.fires.at(-1)!);

  pool.addJob({ id: 'cron', fn: recorder.fn, cron: testCase.cron, timezone: testCase.timezone });
  pool.run();
  await clock.tick(lastMs - fromMs);

  return recorder;
}

describe('cron timing', () => {
  it.each(cases)('fires $label at the expected instants', async (testCase) => {
    const recorder = await firesOf(testCase);

    expect(recorder.startsMs.map((ms) => new Date(ms).toISOString())).toEqual(
      testCase.fires.map((iso) => new Date(iso).toISOString()),
    );
  });

  it.each(cases)('fires $label exactly at the instants nextRuns gives', async (testCase) => {
    const recorder = await firesOf(testCase);

    const expected = nextRuns(testCase.cron, {
      from: new Date(testCase.from),
      timezone: testCase.timezone,
      count: testCase.fires.length,
    });

    expect(recorder.startsMs).toEqual(expected.map((date) => date.getTime()));
    expect(recorder.scheduledMs).toEqual(recorder.startsMs);
  });

  it('reads the expression in the local zone when no timezone is given', async () => {
    const fromMs = Date.UTC(2026, 0, 1, 0, 0, 30);
    const { clock, pool } = createHarness({ startMs: fromMs });
    const recorder = new RunRecorder(clock);

    pool.addJob({ id: 'cron', fn: recorder.fn, cron: '0 */6 * * *' });
    pool.run();
    await clock.tick(25 * 3_600_000);

    const expected = nextRuns('0 */6 * * *', { from: new Date(fromMs), count: recorder.runs + 1 });
    expect(recorder.runs).toBeGreaterThanOrEqual(4);
    expect(recorder.startsMs).toEqual(
      expected.slice(0, recorder.runs).map((date) => date.getTime()),
    );
  });

  it('schedules a cron job added to a running pool at its next fire instant', async () => {
    const fromMs = Date.UTC(2026, 0, 1, 0, 0, 0);
    const { clock, pool } = createHarness({ startMs: fromMs });
    const recorder = new RunRecorder(clock);

    pool.run();
    await clock.tick(90_000);
    pool.addJob({ id: 'cron', fn: recorder.fn, cron: '*/5 * * * *', timezone: 'UTC' });
    await clock.tick(10 * 60_000);

    expect(recorder.startsMs).toEqual([Date.UTC(2026, 0, 1, 0, 5), Date.UTC(2026, 0, 1, 0, 10)]);
  });

  it('fires each of many jobs sharing an expression at its own instants', async () => {
    const fromMs = Date.UTC(2026, 0, 1, 0, 0, 0, 500);
    const { clock, pool } = createHarness({ startMs: fromMs });
    const utc = new RunRecorder(clock);
    const kolkata = new RunRecorder(clock);
    const late = new RunRecorder(clock);

    pool.addJob({ id: 'utc', fn: utc.fn, cron: '*/2 * * * * *', timezone: 'UTC' });
    pool.addJob({ id: 'kolkata', fn: kolkata.fn, cron: '*/2 * * * * *', timezone: 'Asia/Kolkata' });
    pool.run();
    await clock.tick(1_700);
    pool.addJob({ id: 'late', fn: late.fn, cron: '*/2 * * * * *', timezone: 'UTC' });
    await clock.tick(3_000);

    const at = (second: number) => Date.UTC(2026, 0, 1, 0, 0, second);
    expect(utc.scheduledMs).toEqual([at(2), at(4)]);
    expect(kolkata.scheduledMs).toEqual([at(2), at(4)]);
    expect(late.scheduledMs).toEqual([at(4)]);
  });

  it('does not fire a moment early', async () => {
    const fromMs = Date.UTC(2026, 0, 1, 0, 0, 30);
    const { clock, pool } = createHarness({ startMs: fromMs });
    const recorder = new RunRecorder(clock);

    pool.addJob({ id: 'cron', fn: recorder.fn, cron: '* * * * *', timezone: 'UTC' });
    pool.run();
    await clock.tick(29_999);
    expect(recorder.runs).toBe(0);
    await clock.tick(1);

    expect(recorder.startsMs).toEqual([Date.UTC(2026, 0, 1, 0, 1)]);
  });

  it('shows the next fire instant as nextRun', async () => {
    const fromMs = Date.UTC(2026, 0, 1, 0, 2);
    const { clock, pool } = createHarness({ startMs: fromMs });

    pool.addJob({ id: 'cron', fn: () => undefined, cron: '*/5 * * * *', timezone: 'UTC' });
    pool.run();
    await clock.flush();

    const metrics: Record<string, unknown> = pool.getMetrics();
    expect(metrics.cron).toMatchObject({ nextRun: new Date(Date.UTC(2026, 0, 1, 0, 5)) });
  });
});
