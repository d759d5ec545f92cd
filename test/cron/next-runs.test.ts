import { describe, expect, it } from 'vitest';
import { compileCron } from '../../src/cron/compile-cron.js';
import { nextRuns } from '../../src/cron/next-runs.js';
import { isOrbitError } from '../../src/errors/orbit-error.js';

const FROM_MS = Date.UTC(2026, 0, 1);
const iso = (dates: readonly Date[]) => dates.map((date) => date.toISOString());

describe('nextRuns', () => {
  it('returns five fire times by default, strictly after from', () => {
    const runs = nextRuns('0 * * * *', { from: FROM_MS, timezone: 'UTC' });

    expect(iso(runs)).toEqual([
      '2026-01-01T01:00:00.000Z',
      '2026-01-01T02:00:00.000Z',
      '2026-01-01T03:00:00.000Z',
      '2026-01-01T04:00:00.000Z',
      '2026-01-01T05:00:00.000Z',
    ]);
  });

  it('fires exactly when a job with the same cron and zone would', () => {
    const schedule = compileCron('*/20 1-3 * * SUN', 'Europe/London');
    const fromMs = Date.parse('2026-03-28T00:00:00Z');
    const byJob: number[] = [];
    for (let atMs = schedule.next(fromMs); byJob.length < 20 && atMs !== undefined;) {
      byJob.push(atMs);
      atMs = schedule.next(atMs);
    }

    const runs = nextRuns('*/20 1-3 * * SUN', {
      from: new Date(fromMs),
      timezone: 'Europe/London',
      count: 20,
    });
    expect(runs.map((date) => date.getTime())).toEqual(byJob);
  });

  it('reads N/S as N to the end of the field in steps of S', () => {
    const runs = nextRuns('5/15 * * * *', { from: FROM_MS, timezone: 'UTC', count: 5 });

    expect(runs.map((date) => date.getUTCMinutes())).toEqual([5, 20, 35, 50, 5]);
  });

  it('matches days on both day fields when either starts with a star', () => {
    const runs = nextRuns('0 0 */3 * 1-5', {
      from: Date.UTC(2026, 5, 1),
      timezone: 'UTC',
      count: 5,
    });

    // June 2026: days 1, 4, 7, 10, ... that fall Monday to Friday.
    expect(runs.map((date) => date.getUTCDate())).toEqual([4, 10, 16, 19, 22]);
  });

  it('matches days on either day field when both are restricted', () => {
    const runs = nextRuns('0 0 1,15 * 1', {
      from: Date.UTC(2026, 5, 1),
      timezone: 'UTC',
      count: 6,
    });

    // June 2026: the 15th, and every Monday (1st, 8th, 15th, 22nd, 29th); then July 1st.
    expect(runs.map((date) => date.getUTCDate())).toEqual([8, 15, 22, 29, 1, 6]);
  });

  it('returns nothing for an expression that can never fire', () => {
    expect(nextRuns('0 0 30 2 *', { from: FROM_MS, timezone: 'UTC' })).toEqual([]);
  });

  it('gives zero fire times for a count of 0', () => {
    expect(nextRuns('* * * * *', { from: FROM_MS, timezone: 'UTC', count: 0 })).toEqual([]);
  });

  it('starts from now when no from is given', () => {
    const beforeMs = Date.now();
    const [first] = nextRuns('* * * * * *', { timezone: 'UTC', count: 1 });

    expect(first?.getTime()).toBeGreaterThan(beforeMs);
    expect(first?.getTime()).toBeLessThanOrEqual(Date.now() + 1000);
  });

  it('refuses a count that is not a whole number from 0 to 10,000', () => {
    expect(() => nextRuns('* * * * *', { count: -1 })).toThrow(/count must be a whole number/);
    expect(() => nextRuns('* * * * *', { count: 2.5 })).toThrow(/count must be a whole number/);
    expect(() => nextRuns('* * * * *', { count: 10_001 })).toThrow(/count must be a whole number/);
  });

  it('refuses an invalid from with WRONG_TIME', () => {
    let thrown: unknown;
    try {
      nextRuns('* * * * *', { from: new Date('nope') });
    } catch (error) {
      thrown = error;
    }

    expect(isOrbitError(thrown, 'WRONG_TIME')).toBe(true);
  });
});
