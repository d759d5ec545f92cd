import { describe, expect, it } from 'vitest';
import { nextRuns, type ErrorCode, type JobConfig, type PoolConfig } from '../../src/index.js';
import { expectOrbitError } from '../support/expect-error.js';
import { createHarness, intervalJob } from '../support/harness.js';

const noop = (): void => undefined;

/** A config that the type system would refuse, as plain JavaScript callers can pass. */
function untyped(config: Record<string, unknown>): JobConfig {
  return config as unknown as JobConfig;
}

const jobCases: [string, JobConfig, ErrorCode][] = [
  ['an empty id', intervalJob('', noop, '1s'), 'EMPTY_ID'],
  ['a blank id', intervalJob('   ', noop, '1s'), 'EMPTY_ID'],
  ['a missing id', untyped({ fn: noop, interval: { time: 1_000 } }), 'EMPTY_ID'],
  ['a missing function', untyped({ id: 'job', interval: { time: 1_000 } }), 'EMPTY_FUNCTION'],
  [
    'a null function',
    untyped({ id: 'job', fn: null, interval: { time: 1_000 } }),
    'EMPTY_FUNCTION',
  ],
  [
    'an endAt before startAt',
    intervalJob('job', noop, '1s', { startAt: Date.UTC(2026, 1, 2), endAt: Date.UTC(2026, 1, 1) }),
    'WRONG_TIME',
  ],
  [
    'a startAt that is no instant',
    intervalJob('job', noop, '1s', { startAt: new Date('nope') }),
    'WRONG_TIME',
  ],
  [
    'both interval and cron',
    { id: 'job', fn: noop, interval: { time: '1s' }, cron: '* * * * *' },
    'MIXED_SCHEDULE_TYPE',
  ],
  ['neither interval nor cron', { id: 'job', fn: noop }, 'MISSING_SCHEDULE'],
  ['a cron that does not parse', { id: 'job', fn: noop, cron: 'every monday' }, 'INVALID_CRON'],
  [
    'a cron with a minute out of range',
    { id: 'job', fn: noop, cron: '61 * * * *' },
    'INVALID_CRON',
  ],
  ['a cron that can never fire', { id: 'job', fn: noop, cron: '0 0 30 2 *' }, 'INVALID_CRON'],
  ['a negative interval', intervalJob('job', noop, -1_000), 'INVALID_DURATION'],
  ['an interval that is not a duration', intervalJob('job', noop, 'soon'), 'INVALID_DURATION'],
  ['a NaN interval', intervalJob('job', noop, Number.NaN), 'INVALID_DURATION'],
  ['an interval shorter than a millisecond', intervalJob('job', noop, 0.5), 'INVALID_DURATION'],
  // Added to an epoch instant, it would leave the instant as it was: the next tick never moves.
  ['an interval too short to move an instant', intervalJob('job', noop, 1e-4), 'INVALID_DURATION'],
  ['a negative timeout', intervalJob('job', noop, '1s', { timeout: -5 }), 'INVALID_DURATION'],
  [
    'a timeout that is not a duration',
    intervalJob('job', noop, '1s', { timeout: '5 parsecs' }),
    'INVALID_DURATION',
  ],
  [
    'an unknown time zone',
    { id: 'job', fn: noop, cron: '0 9 * * *', timezone: 'Mars/Olympus_Mons' },
    'INVALID_TIMEZONE',
  ],
  [
    'a negative retry count',
    intervalJob('job', noop, '1s', { retry: { active: true, count: -1 } }),
    'INVALID_CONFIG',
  ],
];

const poolCases: [string, unknown, ErrorCode][] = [
  ['a negative maxWorkers', { maxWorkers: -1 }, 'INVALID_CONFIG'],
  ['a maxWorkers that is a string', { maxWorkers: 'x' }, 'INVALID_CONFIG'],
  ['a maxWorkers of zero', { maxWorkers: 0 }, 'INVALID_CONFIG'],
  ['a NaN maxWorkers', { maxWorkers: Number.NaN }, 'INVALID_CONFIG'],
  ['a fractional maxWorkers', { maxWorkers: 1.5 }, 'INVALID_CONFIG'],
  ['a checkInterval that is not a duration', { checkInterval: 'x' }, 'INVALID_DURATION'],
  ['a checkInterval under a millisecond', { checkInterval: 0.5 }, 'INVALID_DURATION'],
  ['a negative idleTimeout', { idleTimeout: -1 }, 'INVALID_DURATION'],
  ['a blank pool id', { id: '  ' }, 'EMPTY_ID'],
];

describe('validation', () => {
  it.each(jobCases)('refuses a job with %s', (_label, config, code) => {
    const { pool } = createHarness();

    expectOrbitError(() => pool.addJob(config), code);
  });

  it.each(
    jobCases.filter(([, config]) => typeof config.id === 'string' && config.id.trim() !== ''),
  )('names the job in the error for %s', (_label, config, code) => {
    const { pool } = createHarness();

    expect(expectOrbitError(() => pool.addJob(config), code).jobId).toBe('job');
  });

  it('refuses a second job with the same id with ID_EXISTS', () => {
    const { pool } = createHarness();
    pool.addJob(intervalJob('job', noop, '1s'));

    const error = expectOrbitError(() => pool.addJob(intervalJob('job', noop, '2s')), 'ID_EXISTS');

    expect(error.jobId).toBe('job');
  });

  it('says a startAt that is an invalid Date is one', () => {
    const { pool } = createHarness();
    const job = intervalJob('job', noop, '1s', { startAt: new Date('nope') });

    const error = expectOrbitError(() => pool.addJob(job), 'WRONG_TIME');

    expect(error.message).toBe(
      "job 'job': startAt must be a valid Date or epoch ms; got an invalid Date",
    );
  });

  it('validates the same way through orbit.addJob', () => {
    const { orbit, pool } = createHarness();

    expectOrbitError(() => orbit.addJob(pool, { id: 'job', fn: noop }), 'MISSING_SCHEDULE');
  });

  it('leaves no trace of a refused job', () => {
    const { pool } = createHarness();

    expectOrbitError(() => pool.addJob(intervalJob('job', noop, 'soon')), 'INVALID_DURATION');

    expect(Object.keys(pool.getMetrics())).not.toContain('job');
    expect(() => pool.addJob(intervalJob('job', noop, '1s'))).not.toThrow();
  });

  it('names the option in a duration error', () => {
    const { pool } = createHarness();

    const interval = expectOrbitError(
      () => pool.addJob(intervalJob('a', noop, 'soon')),
      'INVALID_DURATION',
    );
    const timeout = expectOrbitError(
      () => pool.addJob(intervalJob('b', noop, '1s', { timeout: 'later' })),
      'INVALID_DURATION',
    );

    expect(interval.message).toContain('interval');
    expect(timeout.message).toContain('timeout');
  });

  it.each(poolCases)('refuses a pool with %s', (_label, config, code) => {
    const { orbit } = createHarness();

    expectOrbitError(() => orbit.createPool(config as PoolConfig), code);
  });

  it('names the option and the value given in a pool config error', () => {
    const { orbit } = createHarness();

    const error = expectOrbitError(
      () => orbit.createPool({ maxWorkers: 'many' } as unknown as PoolConfig),
      'INVALID_CONFIG',
    );

    expect(error.message).toContain('maxWorkers');
    expect(error.message).toContain('many');
  });

  it.each([
    ['a five-field cron', { cron: '*/5 * * * *' }],
    ['a six-field cron', { cron: '*/10 * * * * *' }],
    ['a nickname', { cron: '@daily' }],
    ['names of months and days', { cron: '0 9 * JAN-MAR MON-FRI' }],
    ['L, W and #', { cron: '0 0 LW * *' }],
    ['a cron in a zone', { cron: '0 9 * * *', timezone: 'Europe/Berlin' }],
    ['a string interval', { interval: { time: '1h30m' } }],
    [
      'a window and a timeout',
      {
        interval: { time: 1_000 },
        startAt: Date.UTC(2026, 1, 1),
        endAt: Date.UTC(2026, 2, 1),
        timeout: '5s',
      },
    ],
  ])('accepts %s', (_label, schedule) => {
    const { pool } = createHarness();

    expect(() => pool.addJob({ id: 'job', fn: noop, ...schedule })).not.toThrow();
  });

  it('accepts every pool option given right', () => {
    const { orbit } = createHarness();

    expect(() =>
      orbit.createPool({ id: 'reports', maxWorkers: 4, checkInterval: '50ms', idleTimeout: '2h' }),
    ).not.toThrow();
  });
});

describe('nextRuns errors', () => {
  it('refuses an option it does not know with INVALID_CONFIG, as addJob does', () => {
    const options = { from: new Date(0), tz: 'UTC' } as Parameters<typeof nextRuns>[1];
    const error = expectOrbitError(() => nextRuns('* * * * *', options), 'INVALID_CONFIG');

    expect(error.message).toBe("nextRuns has no option 'tz'; known: from, timezone, count");
  });

  it('says a from that is an invalid Date is one', () => {
    const error = expectOrbitError(
      () => nextRuns('* * * * *', { from: new Date('nope') }),
      'WRONG_TIME',
    );

    expect(error.message).toBe('from must be a valid Date or epoch ms; got an invalid Date');
  });

  it('refuses an expression that does not parse with INVALID_CRON', () => {
    expectOrbitError(() => nextRuns('every monday', { from: new Date(0) }), 'INVALID_CRON');
  });

  it('refuses an unknown time zone with INVALID_TIMEZONE', () => {
    expectOrbitError(
      () => nextRuns('0 9 * * *', { from: new Date(0), timezone: 'Mars/Olympus_Mons' }),
      'INVALID_TIMEZONE',
    );
  });

  it('gives no instant for an expression that can never fire', () => {
    expect(nextRuns('0 0 30 2 *', { from: new Date(0), timezone: 'UTC' })).toEqual([]);
  });

  it('gives five instants by default', () => {
    expect(nextRuns('* * * * *', { from: new Date(0), timezone: 'UTC' })).toHaveLength(5);
  });
});
