import { describe, expect, it } from 'vitest';
import { compileCron } from '../../src/cron/compile-cron.js';
import {
  dueInstantsIn,
  MAX_COUNTED_CRON_MATCHES,
  type Schedule,
} from '../../src/schedule/schedule.js';

const T0 = Date.UTC(2026, 0, 1);
const everySecond: Schedule = { kind: 'cron', cron: compileCron('* * * * * *', 'UTC') };

describe('dueInstantsIn', () => {
  it('counts the grid instants of an interval in (after, until]', () => {
    const schedule: Schedule = { kind: 'interval', periodMs: 100 };

    expect(dueInstantsIn(schedule, T0, T0, T0 + 250)).toEqual({
      count: 2,
      firstMs: T0 + 100,
      lastMs: T0 + 200,
    });
    expect(dueInstantsIn(schedule, T0, T0 + 50, T0 + 100)).toEqual({
      count: 1,
      firstMs: T0 + 100,
      lastMs: T0 + 100,
    });
    expect(dueInstantsIn(schedule, T0, T0 + 100, T0 + 199)).toBeUndefined();
    expect(dueInstantsIn(schedule, T0, T0 + 100, T0 + 100)).toBeUndefined();
  });

  it('walks the cron matches in (after, until]', () => {
    expect(dueInstantsIn(everySecond, T0, T0, T0 + 3_500)).toEqual({
      count: 3,
      firstMs: T0 + 1_000,
      lastMs: T0 + 3_000,
    });
  });

  it('stops counting cron matches at the cap', () => {
    const span = dueInstantsIn(everySecond, T0, T0, T0 + 86_400_000);

    expect(span?.count).toBe(MAX_COUNTED_CRON_MATCHES);
    expect(span?.lastMs).toBe(T0 + MAX_COUNTED_CRON_MATCHES * 1_000);
  });
});
