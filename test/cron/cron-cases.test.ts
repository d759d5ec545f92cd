import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compileCron } from '../../src/cron/compile-cron.js';
import { nextRuns } from '../../src/cron/next-runs.js';
import { isOrbitError } from '../../src/errors/orbit-error.js';

interface CronCase {
  id: string;
  expr: string;
  tz?: string;
  from?: string;
  next?: string[];
  invalid?: boolean;
  note: string;
  either?: { tz: string; from: string; next: string[] };
}

const cases = JSON.parse(
  readFileSync(new URL('../fixtures/cron-cases.json', import.meta.url), 'utf8'),
) as CronCase[];

function firesOf(expression: string, zone: string, from: string, count: number): string[] {
  return nextRuns(expression, { from: Date.parse(from), timezone: zone, count }).map((date) =>
    date.toISOString(),
  );
}

function isoOf(instants: readonly string[]): string[] {
  return instants.map((text) => new Date(text).toISOString());
}

describe('the cron cases drawn from real bugs', () => {
  it('holds all 117 cases', () => {
    expect(cases).toHaveLength(117);
  });

  for (const cronCase of cases.filter((candidate) => candidate.invalid !== true)) {
    it(`${cronCase.id}: ${cronCase.expr} in ${cronCase.tz ?? '?'}`, () => {
      const expected = isoOf(cronCase.next ?? []);
      const fires = firesOf(cronCase.expr, cronCase.tz ?? 'UTC', cronCase.from ?? '', 5);

      expect(fires.slice(0, expected.length)).toEqual(expected);
      if (expected.length === 0) expect(fires).toEqual([]);
    });
  }

  for (const cronCase of cases.filter((candidate) => candidate.invalid === true)) {
    it(`${cronCase.id}: '${cronCase.expr}' is refused with INVALID_CRON`, () => {
      let thrown: unknown;
      try {
        compileCron(cronCase.expr, 'UTC');
      } catch (error) {
        thrown = error;
      }

      expect(isOrbitError(thrown, 'INVALID_CRON')).toBe(true);
      expect(() => nextRuns(cronCase.expr, { timezone: 'UTC' })).toThrow(/^cron /);
    });
  }
});
