import { describe, expect, it } from 'vitest';
import type { CronSchedule } from '../../../src/cron/cron-schedule.js';
import type { Schedule } from '../../../src/schedule/schedule.js';
import {
  planAfterRun,
  planClaim,
  resumeAfterServed,
  type PlanLimits,
} from '../../../src/store/postgres/tick-plan.js';

const SECOND = 1_000;
const T0 = Date.UTC(2026, 0, 1);
const limits: PlanLimits = { graceMs: SECOND, maxCatchUp: 100, endAtMs: undefined };
const everySecond: Schedule = { kind: 'interval', periodMs: SECOND };

/** A stand-in cron pattern that fires on every whole multiple of `periodMs`. */
function cronEvery(periodMs: number): Schedule {
  const cron: CronSchedule = {
    expression: `every ${periodMs} ms`,
    timezone: 'UTC',
    next: (afterMs) => Math.floor(afterMs / periodMs) * periodMs + periodMs,
  };
  return { kind: 'cron', cron };
}

describe.each([
  ['an interval job', everySecond],
  ['a cron job', cronEvery(SECOND)],
])('planning a claim for %s', (_kind, schedule) => {
  it('runs a tick that is just due and moves to the next one', () => {
    const plan = planClaim(schedule, T0, T0 + 5, 'once', limits);
    expect(plan).toEqual({ kind: 'run', tickMs: T0, skipped: 0, nextDueMs: T0 + SECOND });
  });

  it("runs only the latest missed tick under 'once' and counts the others", () => {
    const plan = planClaim(schedule, T0, T0 + 10 * SECOND + 300, 'once', limits);
    expect(plan).toEqual({
      kind: 'run',
      tickMs: T0 + 10 * SECOND,
      skipped: 10,
      nextDueMs: T0 + 11 * SECOND,
    });
  });

  it("skips every missed tick under 'skip' and waits for the next one", () => {
    const plan = planClaim(schedule, T0, T0 + 10 * SECOND - 1, 'skip', { ...limits, graceMs: 0 });
    expect(plan).toEqual({ kind: 'skip', skipped: 10, nextDueMs: T0 + 10 * SECOND });
  });

  it("still runs a tick late by less than the grace under 'skip'", () => {
    const plan = planClaim(schedule, T0, T0 + 3 * SECOND + 200, 'skip', limits);
    expect(plan).toMatchObject({ kind: 'run', tickMs: T0 + 3 * SECOND, skipped: 3 });
  });

  it("runs the missed ticks one by one under 'all'", () => {
    const plan = planClaim(schedule, T0, T0 + 5 * SECOND, 'all', limits);
    expect(plan).toEqual({ kind: 'run', tickMs: T0, skipped: 0, nextDueMs: T0 + SECOND });
  });

  it("catches up at most maxCatchUp ticks under 'all'", () => {
    const plan = planClaim(schedule, T0, T0 + 9 * SECOND, 'all', { ...limits, maxCatchUp: 3 });
    expect(plan).toEqual({
      kind: 'run',
      tickMs: T0 + 7 * SECOND,
      skipped: 7,
      nextDueMs: T0 + 8 * SECOND,
    });
  });

  it('plans no tick after the end of the window', () => {
    const window = { ...limits, endAtMs: T0 + 2 * SECOND };
    const plan = planClaim(schedule, T0, T0 + 10 * SECOND, 'once', window);
    expect(plan).toEqual({
      kind: 'run',
      tickMs: T0 + 2 * SECOND,
      skipped: 2,
      nextDueMs: undefined,
    });
  });

  it('skips and counts the ticks that fell due during a long run', () => {
    const after = planAfterRun(schedule, T0, T0 + 3 * SECOND + 500, 'once', undefined);
    expect(after).toEqual({ nextDueMs: T0 + 4 * SECOND, skipped: 3 });
  });

  it("owes a run to the ticks that fell due during a long run under 'all'", () => {
    const after = planAfterRun(schedule, T0, T0 + 3 * SECOND + 500, 'all', undefined);
    expect(after).toEqual({ nextDueMs: T0 + SECOND, skipped: 0 });
  });

  it('resumes after the tick last served when the due instant went back', () => {
    expect(resumeAfterServed(schedule, T0, T0 + 2 * SECOND)).toBe(T0 + 3 * SECOND);
    expect(resumeAfterServed(schedule, T0 + 5 * SECOND, T0 + 2 * SECOND)).toBe(T0 + 5 * SECOND);
    expect(resumeAfterServed(schedule, T0, undefined)).toBe(T0);
  });

  it('skips nothing after a run shorter than the period', () => {
    expect(planAfterRun(schedule, T0, T0 + 400, 'skip', undefined)).toEqual({
      nextDueMs: T0 + SECOND,
      skipped: 0,
    });
  });
});

describe('planning for a cron job down for a very long time', () => {
  it("finds the latest tick under 'once' without counting every tick", () => {
    const schedule = cronEvery(SECOND);
    const nowMs = T0 + 400 * 86_400 * SECOND + 123;
    const plan = planClaim(schedule, T0, nowMs, 'once', limits);
    expect(plan).toMatchObject({
      kind: 'run',
      tickMs: nowMs - 123,
      nextDueMs: nowMs - 123 + SECOND,
    });
  });
});
