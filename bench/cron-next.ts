/**
 * Cost of one "next fire time" step: Orbit's cron engine against croner and cron-parser on
 * the same expressions and zones. Run with `npm run bench:cron`; not part of the test suite.
 *
 * Each library compiles the expression once, then steps through CHAIN_LENGTH consecutive
 * fire times from the same start instant, over and over; the figure is nanoseconds per step.
 */
import { CronExpressionParser } from 'cron-parser';
import { Cron } from 'croner';
import { compileCron } from '../src/cron/compile-cron.js';
import { nextRuns } from '../src/cron/next-runs.js';

const START_MS = Date.parse('2025-01-01T00:00:00Z');
const CHAIN_LENGTH = 50;
const TARGET_MS = Number(process.env.BENCH_TARGET_MS ?? 300);

const EXPRESSIONS = [
  '* * * * *',
  '*/5 * * * *',
  '0 * * * *',
  '30 2 * * *',
  '0 9 * * 1-5',
  '15,45 6-18/3 * * *',
  '0 0 1 * *',
  '0 0 L * *',
  '0 12 * * 5#3',
  '*/10 * * * * *',
  '0 0 29 2 *',
];
const ZONES = ['UTC', 'America/New_York', 'Australia/Lord_Howe'];

type Stepper = () => void;
type Library = 'orbit next()' | 'orbit nextRuns()' | 'croner' | 'cron-parser';

const STEPPERS: Record<Library, (expression: string, zone: string) => Stepper> = {
  'orbit next()': (expression, zone) => {
    const schedule = compileCron(expression, zone);
    return () => {
      let atMs: number | undefined = START_MS;
      for (let step = 0; step < CHAIN_LENGTH && atMs !== undefined; step += 1) {
        atMs = schedule.next(atMs);
      }
    };
  },
  'orbit nextRuns()': (expression, zone) => () => {
    nextRuns(expression, { from: START_MS, timezone: zone, count: CHAIN_LENGTH });
  },
  croner: (expression, zone) => {
    const job = new Cron(expression, { timezone: zone, paused: true });
    return () => {
      let at: Date | null = new Date(START_MS);
      for (let step = 0; step < CHAIN_LENGTH && at !== null; step += 1) at = job.nextRun(at);
    };
  },
  'cron-parser': (expression, zone) => () => {
    const interval = CronExpressionParser.parse(expression, { currentDate: START_MS, tz: zone });
    for (let step = 0; step < CHAIN_LENGTH; step += 1) interval.next();
  },
};

/** Nanoseconds per step, after a warm-up, over about TARGET_MS of repeated chains. */
function measure(stepper: Stepper): number {
  const warmUpEnd = performance.now() + TARGET_MS / 3;
  while (performance.now() < warmUpEnd) stepper();

  let chains = 0;
  const started = process.hrtime.bigint();
  const deadline = performance.now() + TARGET_MS;
  while (performance.now() < deadline) {
    stepper();
    chains += 1;
  }
  const elapsedNs = Number(process.hrtime.bigint() - started);
  return elapsedNs / (chains * CHAIN_LENGTH);
}

function formatNs(ns: number): string {
  return ns.toFixed(0).padStart(8);
}

/** Distinct five-field expressions, so that no two share a compiled pattern. */
function distinctExpressions(count: number): string[] {
  return Array.from({ length: count }, (_, index) => {
    const minute = index % 60;
    const hour = Math.floor(index / 60) % 24;
    const weekday = Math.floor(index / 1440) % 7;
    return `${minute} ${hour} * * ${weekday}`;
  });
}

/** Retained heap bytes per compiled pattern, or undefined without `--expose-gc`. */
function bytesPerPattern(
  compile: (expression: string) => unknown,
  count: number,
): number | undefined {
  const collect = (globalThis as { gc?: () => void }).gc;
  if (collect === undefined) return undefined;

  const expressions = distinctExpressions(count);
  collect();
  const before = process.memoryUsage().heapUsed;
  const kept = expressions.map(compile);
  collect();
  const after = process.memoryUsage().heapUsed;

  return kept.length === count ? (after - before) / count : undefined;
}

function reportMemory(): void {
  const ours = bytesPerPattern((expression) => compileCron(expression, 'America/New_York'), 4000);
  const croner = bytesPerPattern(
    (expression) => new Cron(expression, { timezone: 'America/New_York', paused: true }),
    1000,
  );
  const show = (bytes: number | undefined) =>
    bytes === undefined ? 'n/a (run with --expose-gc)' : `${Math.round(bytes)} B`;
  console.log(`heap per compiled pattern: orbit ${show(ours)}, croner ${show(croner)}`);
}

function main(): void {
  const libraries = Object.keys(STEPPERS) as Library[];
  const ratios: number[] = [];
  console.log(
    `ns per next() (chains of ${CHAIN_LENGTH} steps from ${new Date(START_MS).toISOString()})`,
  );
  console.log(
    [
      'expression'.padEnd(20),
      'zone'.padEnd(20),
      ...libraries.map((name) => name.padStart(16)),
      ' next/best-other',
      ' nextRuns/best-other',
    ].join(' '),
  );

  for (const zone of ZONES) {
    for (const expression of EXPRESSIONS) {
      const [ours, oursRuns, croner, cronParser] = libraries.map((name) =>
        measure(STEPPERS[name](expression, zone)),
      ) as [number, number, number, number];
      const bestOther = Math.min(croner, cronParser);
      ratios.push(oursRuns / bestOther);
      console.log(
        `${expression.padEnd(20)} ${zone.padEnd(20)} ${[ours, oursRuns, croner, cronParser]
          .map((ns) => formatNs(ns).padStart(16))
          .join(' ')}  ${(ours / bestOther).toFixed(3).padStart(15)}  ${(oursRuns / bestOther)
          .toFixed(3)
          .padStart(19)}`,
      );
    }
  }

  const worst = Math.max(...ratios);
  const geometricMean = Math.exp(ratios.reduce((sum, r) => sum + Math.log(r), 0) / ratios.length);
  console.log(
    `nextRuns() against the faster of croner and cron-parser: worst ${worst.toFixed(3)}, ` +
      `geometric mean ${geometricMean.toFixed(3)} (1.000 = as fast; the goal is at most 1.250)`,
  );
  reportMemory();
}

main();
