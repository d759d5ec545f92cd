import { describe, expect, it } from 'vitest';
import { loadCron } from '../../src/cron/compile-cron.js';
import { offsetChanges, wallMsAt } from './support/intl-wall-clock.js';
import { randomCron, type RandomCron } from './support/random-cron.js';
import { SeededRandom } from './support/seeded-random.js';

/**
 * Random expressions and zones against a brute-force reference that steps through every
 * minute (every second for six fields) and asks `Intl` for the wall clock each time.
 * Start instants cluster around each zone's offset changes, where the rules are subtle.
 */
const ZONES = [
  'UTC',
  'America/New_York',
  'Europe/London',
  'Europe/Berlin',
  'Australia/Lord_Howe',
  'Pacific/Chatham',
  'America/Sao_Paulo',
  'Asia/Tehran',
  'America/Santiago',
  'Africa/Cairo',
  'Antarctica/Troll',
  'Australia/Adelaide',
  'America/St_Johns',
  'Asia/Kolkata',
];

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
/** Far enough back to know which wall times a fall-back repeats (2 h at most here). */
const LOOKBACK_MS = 3 * HOUR_MS;
const SEED = Number(process.env.CRON_PROPERTY_SEED ?? 20_240_317);
const SCALE = Number(process.env.CRON_PROPERTY_SCALE ?? 1);

interface Draw {
  cron: RandomCron;
  zone: string;
  fromMs: number;
  horizonMs: number;
  stepMs: number;
}

/** Every instant in (from, from + horizon] on the step grid at which the job fires. */
function referenceFires(draw: Draw): number[] {
  const { cron, zone, fromMs, horizonMs, stepMs } = draw;
  const fires: number[] = [];
  let highestWallMs = Number.NaN;

  const firstMs = Math.ceil((fromMs - LOOKBACK_MS) / stepMs) * stepMs;
  for (let atMs = firstMs; atMs <= fromMs + horizonMs; atMs += stepMs) {
    const wallMs = wallMsAt(zone, atMs);
    if (!cron.isFixedTime) {
      if (atMs > fromMs && cron.matches(wallMs)) fires.push(atMs);
      continue;
    }
    if (wallMs <= highestWallMs) continue;
    if (Number.isNaN(highestWallMs)) highestWallMs = wallMs - stepMs;

    // A fixed-time job fires at the first showing of a wall time, and once as the clock
    // jumps over wall times that never show.
    let isDue = cron.matches(wallMs);
    for (
      let skippedMs = highestWallMs + stepMs;
      !isDue && skippedMs < wallMs;
      skippedMs += stepMs
    ) {
      isDue = cron.matches(skippedMs);
    }
    if (atMs > fromMs && isDue) fires.push(atMs);
    highestWallMs = wallMs;
  }
  return fires;
}

function engineFires(draw: Draw): number[] {
  const schedule = loadCron(draw.cron.expression, draw.zone);
  const fires: number[] = [];

  for (let atMs = schedule.next(draw.fromMs); atMs !== undefined; atMs = schedule.next(atMs)) {
    if (atMs > draw.fromMs + draw.horizonMs) break;
    fires.push(atMs);
  }
  return fires;
}

function drawStart(random: SeededRandom, zone: string): number {
  // Years before 1970 too: epoch seconds and wall times are negative there.
  const year = random.int(1940, 2037);
  const yearStartMs = Date.UTC(year, 0, 1);
  const changes = offsetChanges(zone, yearStartMs, Date.UTC(year + 1, 0, 1));
  const nearChange = changes.length > 0 && random.chance(0.8);
  const anchorMs = nearChange
    ? random.pick(changes) - random.int(0, (2 * DAY_MS) / MINUTE_MS) * MINUTE_MS
    : yearStartMs + random.int(0, 364 * 1440) * MINUTE_MS;

  // Start on a whole minute, or a few seconds into one.
  return anchorMs + (random.chance(0.3) ? random.int(0, 59) * 1000 : 0);
}

function draws(count: number, withSeconds: boolean, seed: number): Draw[] {
  const random = new SeededRandom(seed);
  return Array.from({ length: count }, () => {
    const zone = random.pick(ZONES);
    return {
      cron: randomCron(random, withSeconds),
      zone,
      fromMs: drawStart(random, zone),
      horizonMs: withSeconds ? 2 * HOUR_MS : 3 * DAY_MS,
      stepMs: withSeconds ? 1000 : MINUTE_MS,
    };
  });
}

/** Where the engine and the reference first part, in one line; empty when they agree. */
function firstDifference(draw: Draw): string {
  const expected = referenceFires(draw);
  const actual = engineFires(draw);
  const index = expected.findIndex((ms, at) => actual[at] !== ms);
  const at = index < 0 ? (actual.length === expected.length ? -1 : expected.length) : index;
  if (at < 0) return '';

  const show = (ms: number | undefined) =>
    ms === undefined ? 'nothing' : new Date(ms).toISOString();
  const where = `'${draw.cron.expression}' in ${draw.zone} from ${show(draw.fromMs)}`;
  return `${where}: fire ${at} is ${show(actual[at])}, expected ${show(expected[at])}`;
}

describe('the cron engine against a brute-force reference', () => {
  it('agrees on five-field expressions, minute by minute', () => {
    for (const draw of draws(Math.round(60 * SCALE), false, SEED)) {
      expect(firstDifference(draw)).toBe('');
    }
  });

  it('agrees on six-field expressions, second by second', () => {
    for (const draw of draws(Math.round(20 * SCALE), true, SEED + 1)) {
      expect(firstDifference(draw)).toBe('');
    }
  });
});
