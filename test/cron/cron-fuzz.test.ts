import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compileCron } from '../../src/cron/compile-cron.js';
import { nextRuns } from '../../src/cron/next-runs.js';
import { isOrbitError } from '../../src/errors/orbit-error.js';
import { SeededRandom } from './support/seeded-random.js';

/** Characters cron uses, and some it does not, including one outside the BMP. */
const ALPHABET = Array.from('0123456789*/,-LW#?@ \tJANFEBMONSUNsatxyz.+é😀');
const ZONES = ['UTC', 'America/New_York', 'Australia/Lord_Howe', 'Pacific/Chatham'];
const REFUSAL = /^cron ((second|minute|hour|day-of-month|month|day-of-week) field '|expression ')/;
/** A call that takes longer than this has lost its way; real calls take microseconds. */
const SLOW_CALL_MS = 1_000;

const seedExpressions = (
  JSON.parse(readFileSync(new URL('../fixtures/cron-cases.json', import.meta.url), 'utf8')) as {
    expr: string;
  }[]
).map((cronCase) => cronCase.expr);

function randomText(random: SeededRandom): string {
  const length = random.int(0, 40);
  return Array.from({ length }, () => random.pick(ALPHABET)).join('');
}

function mutate(random: SeededRandom, expression: string): string {
  const fields = expression.split(' ');
  const at = random.int(0, Math.max(expression.length - 1, 0));
  switch (random.int(0, 6)) {
    case 0:
      return expression.slice(0, at) + random.pick(ALPHABET) + expression.slice(at + 1);
    case 1:
      return expression.slice(0, at) + random.pick(ALPHABET) + expression.slice(at);
    case 2:
      return expression.slice(0, at) + expression.slice(at + 1);
    case 3:
      return [...fields, random.pick(fields)].join(' ');
    case 4:
      return fields.filter((_, index) => index !== random.int(0, fields.length - 1)).join(' ');
    case 5:
      return expression.replace(/\d+/, String(random.int(0, 10 ** random.int(1, 12))));
    default:
      return fields.map((field) => (random.chance(0.3) ? random.pick(fields) : field)).join(' ');
  }
}

/** Either a schedule whose fire times move strictly forward, or an INVALID_CRON refusal. */
function checkOne(random: SeededRandom, text: string): void {
  const zone = random.pick(ZONES);
  let schedule;
  try {
    schedule = compileCron(text, zone);
  } catch (error) {
    expect(isOrbitError(error, 'INVALID_CRON'), `'${text}' threw ${String(error)}`).toBe(true);
    expect((error as Error).message, `'${text}'`).toMatch(REFUSAL);
    return;
  }

  for (let call = 0; call < 3; call += 1) {
    const afterMs =
      Date.UTC(random.int(1990, 2060), random.int(0, 11), random.int(1, 28)) +
      random.int(0, 86_399_999);
    const startedMs = performance.now();
    const nextMs = schedule.next(afterMs);

    expect(performance.now() - startedMs, `'${text}' in ${zone}`).toBeLessThan(SLOW_CALL_MS);
    if (nextMs !== undefined) {
      expect(nextMs, `'${text}' in ${zone}`).toBeGreaterThan(afterMs);
      expect(nextMs % 1000).toBe(0);
    }
  }
}

describe('cron input fuzzing', () => {
  it('refuses random strings with INVALID_CRON or gives forward fire times', () => {
    const random = new SeededRandom(7);
    for (let round = 0; round < 3_000; round += 1) checkOne(random, randomText(random));
  });

  it('refuses mutated expressions with INVALID_CRON or gives forward fire times', () => {
    const random = new SeededRandom(11);
    for (let round = 0; round < 3_000; round += 1) {
      let text = random.pick(seedExpressions);
      for (let mutation = random.int(1, 3); mutation > 0; mutation -= 1)
        text = mutate(random, text);
      checkOne(random, text);
    }
  });

  it('never reads garbage as every minute', () => {
    for (const garbage of ['', ' ', '*', '* * * *', 'hello', '* * * * * * * *', '@', '@every 5m']) {
      expect(() => nextRuns(garbage, { timezone: 'UTC' })).toThrow(REFUSAL);
    }
  });
});
