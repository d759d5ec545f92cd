import { describe, expect, it } from 'vitest';
import { compileCron } from '../../src/cron/compile-cron.js';
import { isOrbitError } from '../../src/errors/orbit-error.js';

function thrownBy(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  return undefined;
}

describe('compileCron', () => {
  it('returns the same schedule object for the same expression and zone', () => {
    const first = compileCron('*/7 3 * * MON', 'Europe/Paris');
    const second = compileCron('*/7 3 * * MON', 'Europe/Paris');

    expect(second).toBe(first);
    expect(compileCron('*/7 3 * * MON', 'Europe/Berlin')).not.toBe(first);
  });

  it('gives a frozen schedule that keeps the expression and zone as given', () => {
    const schedule = compileCron('0 12 * * *', 'Asia/Kolkata');

    expect(schedule.expression).toBe('0 12 * * *');
    expect(schedule.timezone).toBe('Asia/Kolkata');
    expect(Object.isFrozen(schedule)).toBe(true);
  });

  it('reads the expression in the process zone when no zone is given', () => {
    const localZone = new Intl.DateTimeFormat().resolvedOptions().timeZone;

    expect(compileCron('0 12 * * *').timezone).toBe(localZone);
  });

  it('gives the first fire strictly after the instant, in whole seconds', () => {
    const schedule = compileCron('0 12 * * *', 'UTC');
    const noonMs = Date.UTC(2026, 4, 1, 12);

    expect(schedule.next(noonMs - 1)).toBe(noonMs);
    expect(schedule.next(noonMs)).toBe(noonMs + 86_400_000);
    expect(schedule.next(noonMs - 0.5)).toBe(noonMs);
  });

  it('answers every caller of a shared schedule for its own instant', () => {
    const schedule = compileCron('*/20 * * * *', 'Europe/London');
    const beforeGapMs = Date.parse('2016-03-27T00:50:00Z');
    const inGapMs = Date.parse('2016-03-27T00:59:59.500Z');
    const afterGapMs = Date.parse('2016-03-27T02:00:00+01:00');

    // Interleaved as jobs sharing the pattern would ask, repeating seconds and milliseconds.
    expect(schedule.next(beforeGapMs)).toBe(Date.parse('2016-03-27T02:00:00+01:00'));
    expect(schedule.next(inGapMs)).toBe(Date.parse('2016-03-27T02:00:00+01:00'));
    expect(schedule.next(inGapMs + 400)).toBe(Date.parse('2016-03-27T02:00:00+01:00'));
    expect(schedule.next(afterGapMs)).toBe(Date.parse('2016-03-27T02:20:00+01:00'));
    expect(schedule.next(afterGapMs + 999)).toBe(Date.parse('2016-03-27T02:20:00+01:00'));
    expect(schedule.next(afterGapMs - 1)).toBe(afterGapMs);
    expect(schedule.next(beforeGapMs)).toBe(Date.parse('2016-03-27T02:00:00+01:00'));
  });

  it('gives a schedule shared with other zones the answer of its own zone', () => {
    const fromMs = Date.parse('2026-06-01T09:00:00.250Z');
    const paris = compileCron('0 12 * * *', 'Europe/Paris');
    const tokyo = compileCron('0 12 * * *', 'Asia/Tokyo');

    expect(paris.next(fromMs)).toBe(Date.parse('2026-06-01T12:00:00+02:00'));
    expect(tokyo.next(fromMs)).toBe(Date.parse('2026-06-02T12:00:00+09:00'));
    expect(paris.next(fromMs + 1)).toBe(Date.parse('2026-06-01T12:00:00+02:00'));
  });

  it('works from year 1700 to year 9999 and gives no fire time outside', () => {
    const schedule = compileCron('* * * * *', 'UTC');

    expect(schedule.next(-Infinity)).toBe(Date.parse('1700-01-01T00:00:00Z'));
    expect(schedule.next(Date.parse('9999-12-31T23:58:30Z'))).toBe(
      Date.parse('9999-12-31T23:59:00Z'),
    );
    expect(schedule.next(Date.parse('9999-12-31T23:59:00Z'))).toBeUndefined();
    expect(schedule.next(Infinity)).toBeUndefined();
    expect(schedule.next(Number.NaN)).toBeUndefined();
  });

  it('refuses an expression that can never fire, naming its day fields', () => {
    const error = thrownBy(() => compileCron('0 0 30 2 *', 'UTC'));

    expect(isOrbitError(error, 'INVALID_CRON')).toBe(true);
    expect((error as Error).message).toBe(
      "cron expression '0 0 30 2 *': can never fire: no date matches its day-of-month, " +
        'month and day-of-week fields',
    );
  });

  it('refuses an unknown zone with INVALID_TIMEZONE', () => {
    const error = thrownBy(() => compileCron('* * * * *', 'Mars/Olympus'));

    expect(isOrbitError(error, 'INVALID_TIMEZONE')).toBe(true);
    expect((error as Error).message).toContain("'Mars/Olympus'");
  });

  it.each([
    ['61 * * * * *', "cron second field '61': value 61 is out of range 0-59"],
    ['* 24 * * *', "cron hour field '24': value 24 is out of range 0-23"],
    ['0 0 32 * *', "cron day-of-month field '32': value 32 is out of range 1-31"],
    ['0 0 * 0 *', "cron month field '0': value 0 is out of range 1-12"],
    ['0 0 * * FUN', "cron day-of-week field 'FUN': 'FUN' is not a number or a name (SUN-SAT)"],
    [
      '20-4 * * * *',
      "cron minute field '20-4': range 20-4 is reversed (its start is after its end)",
    ],
    [
      '* * * * * * *',
      "cron expression '* * * * * * *': has 7 fields; expected 5, or 6 with seconds first",
    ],
    ['0 0 L-40 * *', "cron day-of-month field 'L-40': 'L-40' needs a number of days 0-30 after L-"],
  ])("refuses '%s' with a message that names the field", (expression, message) => {
    const error = thrownBy(() => compileCron(expression, 'UTC'));

    expect(isOrbitError(error, 'INVALID_CRON')).toBe(true);
    expect((error as Error).message).toBe(message);
  });

  it('keeps a compiled pattern down to a few small numbers', () => {
    const schedule = compileCron('15,45 6-18/3 1-7 JAN-JUN MON-FRI', 'UTC') as unknown as {
      pattern: Record<string, unknown>;
    };
    const sizeOf = (value: unknown): number => JSON.stringify(value).length;

    expect(sizeOf(schedule.pattern)).toBeLessThan(400);
  });
});
