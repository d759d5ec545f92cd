import { describe, expect, it } from 'vitest';
import { Orbit, OrbitError, parseDuration } from '../../src/index.js';
import { parsePeriod } from '../../src/time/duration.js';

describe('parseDuration', () => {
  it('takes a number as milliseconds', () => {
    expect(parseDuration(0, 'timeout')).toBe(0);
    expect(parseDuration(250, 'timeout')).toBe(250);
    expect(parseDuration(1.5, 'timeout')).toBe(1.5);
  });

  it.each([
    ['250ms', 250],
    ['5s', 5_000],
    ['10m', 600_000],
    ['2h', 7_200_000],
    ['1d', 86_400_000],
    ['1h30m', 5_400_000],
    ['1m30s', 90_000],
    ['1.5s', 1_500],
    ['2h0m5s', 7_205_000],
    ['0s', 0],
  ])('reads %s as %d milliseconds', (text, expectedMs) => {
    expect(parseDuration(text, 'interval.time')).toBe(expectedMs);
  });

  it('reads a string of digits as milliseconds', () => {
    expect(parseDuration('1500', 'timeout')).toBe(1_500);
  });

  it.each([
    ['a negative number', -1],
    ['NaN', Number.NaN],
    ['Infinity', Number.POSITIVE_INFINITY],
    ['an empty string', ''],
    ['a word', 'soon'],
    ['an unknown unit', '5y'],
    ['a unit without a number', 'ms'],
    ['a negative string', '-5s'],
    ['trailing garbage', '5sx'],
    ['null', null],
    ['undefined', undefined],
    ['an object', { ms: 5 }],
    ['an object without a prototype', Object.create(null) as object],
    [
      'an object whose toString throws',
      {
        toString: () => {
          throw new Error('no');
        },
      },
    ],
    ['units out of order', '1m1h'],
    ['a unit twice', '1s1s'],
    ['milliseconds before seconds', '5ms1s'],
  ])('refuses %s with INVALID_DURATION', (_label, value) => {
    let thrown: unknown;
    try {
      parseDuration(value, 'interval.time');
    } catch (error) {
      thrown = error;
    }

    expect(thrown).toBeInstanceOf(OrbitError);
    expect((thrown as OrbitError).code).toBe('INVALID_DURATION');
  });

  it('takes a period, timeout or wait of a millisecond or more, and refuses less', () => {
    expect(parsePeriod('1ms', 'timeout')).toBe(1);
    expect(parsePeriod('5s', 'timeout')).toBe(5_000);
    for (const short of [0, 0.5, '0s', '0.5ms']) {
      expect(() => parsePeriod(short, 'timeout')).toThrow(
        expect.objectContaining({ code: 'INVALID_DURATION' }) as Error,
      );
    }
    expect(() => parsePeriod(0.5, 'timeout')).toThrow(/^timeout must be at least 1 ms; got 0\.5$/);
  });

  it('refuses a job timeout under a millisecond, which no timer could keep', () => {
    const pool = new Orbit().createPool();
    expect(() => pool.addJob({ id: 'j', interval: { time: '1s' }, timeout: 0.5, fn() {} })).toThrow(
      expect.objectContaining({ code: 'INVALID_DURATION' }) as Error,
    );
  });

  it('says "duration" in its message when the caller names no option', () => {
    expect(() => parseDuration('1m1h')).toThrow(/^duration must be .*'1m1h'$/);
  });

  it('names the option and the value given in its error message', () => {
    expect(() => parseDuration('soon', 'interval.time')).toThrow(/interval\.time.*soon/);
  });
});
