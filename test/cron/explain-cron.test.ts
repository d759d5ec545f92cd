import { describe, expect, it } from 'vitest';
import { explainCron } from '../../src/cron/explain-cron.js';
import { expectOrbitError } from '../support/expect-error.js';

describe('explainCron', () => {
  it.each([
    ['* * * * *', 'every minute'],
    ['*/15 * * * *', 'every 15 minutes'],
    ['5/15 * * * *', 'every 15 minutes from minute 5'],
    ['30 2 * * *', 'at 02:30, every day'],
    ['@hourly', 'at minute 0 of every hour'],
    ['0 9 * * MON-FRI', 'at 09:00, on Monday to Friday'],
    ['* 9-17 * * *', 'every minute from 09:00 to 17:59'],
    ['*/10 * * * * *', 'every 10 seconds'],
    ['0 0 L * *', 'at 00:00, on the last day of the month'],
    ['0 5 LW * *', 'at 05:00, on the last weekday of the month'],
    ['0 0 15W * *', 'at 00:00, on the weekday nearest day 15'],
    [
      '0 12 * * 5#3,5L',
      'at 12:00, on the 3rd Friday of the month or on the last Friday of the month',
    ],
    ['0 0 1,15 * 1', 'at 00:00, on day 1 and 15 of the month or Monday'],
    ['0 0 */3 * 1-5', 'at 00:00, every 3 days from day 1 of the month if it is Monday to Friday'],
    ['30 6 * jan,jul *', 'at 06:30, in January and July'],
  ])("describes '%s' as '%s'", (expression, words) => {
    expect(explainCron(expression, 'UTC').description).toBe(words);
  });

  it('says why a job runs at the end of a spring-forward gap', () => {
    const explanation = explainCron('30 2 * * *', 'America/New_York');

    expect(explanation.noteFor(Date.parse('2021-03-14T07:00:00Z'))).toBe(
      'on 2021-03-14 at 03:00 because 02:30 does not exist (clocks go forward from 02:00 to 03:00)',
    );
    expect(explanation.noteFor(Date.parse('2021-03-15T06:30:00Z'))).toBeUndefined();
  });

  it('tells the first and the second time of a repeated wall time apart', () => {
    const explanation = explainCron('*/30 * * * *', 'America/New_York');

    expect(explanation.noteFor(new Date('2021-11-07T01:30:00-04:00'))).toBe(
      '01:30 on 2021-11-07 happens twice as clocks go back; this is the first time (UTC-04:00)',
    );
    expect(explanation.noteFor(new Date('2021-11-07T01:30:00-05:00'))).toBe(
      '01:30 on 2021-11-07 happens twice as clocks go back; this is the second time (UTC-05:00)',
    );
  });

  it('shows an instant as the wall time of its zone with the offset', () => {
    const explanation = explainCron('0 3 * * *', 'Pacific/Chatham');

    expect(explanation.localTime(Date.parse('2025-09-27T14:00:00Z'))).toBe(
      '2025-09-28 03:45:00 +13:45',
    );
  });

  it('explains an expression that can never fire instead of refusing it', () => {
    const explanation = explainCron('0 0 30 2 *', 'UTC');

    expect(explanation.canFire).toBe(false);
    expect(explanation.description).toBe('at 00:00, on day 30 of the month, in February');
  });

  it('refuses an instant that is no valid time with WRONG_TIME, in both its helpers', () => {
    const explanation = explainCron('0 0 * * *', 'Asia/Tokyo');
    for (const at of [Number.NaN, new Date('not a date'), 'tomorrow', 1e20]) {
      expectOrbitError(() => explanation.localTime(at as number), 'WRONG_TIME');
      expectOrbitError(() => explanation.noteFor(at as number), 'WRONG_TIME');
    }
    expect(explanation.localTime(Date.UTC(2026, 0, 1))).toBe('2026-01-01 09:00:00 +09:00');
  });
});
