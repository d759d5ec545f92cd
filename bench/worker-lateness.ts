/**
 * Start lateness of 1,000 light jobs while a CPU-bound job runs: once with that job on
 * the pool's own thread (`fn`), once in a worker thread (`worker`), and once with no
 * CPU-bound job at all, as the machine's floor. Each light job runs once; its lateness
 * is its start minus its due instant.
 *
 *   npm run bench:workers
 */
import { availableParallelism } from 'node:os';
import { Orbit, type JobConfig, type Pool } from '../src/index.js';
import burnCpu, { BURN_MS } from './fixtures/cpu-burn.js';

const LIGHT_JOBS = 1_000;
/** The light jobs fall due over this span, which the CPU-bound job covers. */
const SPREAD_MS = 1_500;
/** Light jobs start falling due this long after the CPU-bound job starts. */
const OFFSET_MS = 200;
/** Time for the pool to take every job before the first falls due. */
const LEAD_MS = 300;

// A TypeScript module: the thread loads it through tsx, as this script runs under tsx.
const BURN_MODULE = new URL('./fixtures/cpu-burn.ts', import.meta.url);

interface Outcome {
  latenessMs: number[];
  burnMs: number;
}

async function measure(cpuJob: Pick<JobConfig, 'fn' | 'worker'>): Promise<Outcome> {
  const { fn = () => undefined, worker } = cpuJob;
  const pool = new Orbit().createPool({ threads: 1 });
  pool.run();
  await warmUpThread(pool);

  const burnAtMs = Date.now() + LEAD_MS;
  const latenessMs: number[] = [];
  let burnStartedAtMs = 0;
  const burnEnded = new Promise<number>((resolve) => {
    pool.addJob({
      id: 'cpu-bound',
      ...(worker === undefined ? { fn } : { worker }),
      interval: { time: '1h' },
      startAt: burnAtMs,
      hooks: {
        onStart: { fn: () => void (burnStartedAtMs = Date.now()) },
        finally: { fn: () => resolve(Date.now() - burnStartedAtMs) },
      },
    });
  });

  const lightDone = new Promise<void>((resolve) => {
    for (let index = 0; index < LIGHT_JOBS; index++) {
      pool.addJob({
        id: `light-${index}`,
        interval: { time: '1h' },
        startAt: burnAtMs + OFFSET_MS + Math.floor((index * SPREAD_MS) / LIGHT_JOBS),
        fn: (ctrl) => {
          latenessMs.push(Date.now() - ctrl.scheduledAt.getTime());
          if (latenessMs.length === LIGHT_JOBS) resolve();
        },
      });
    }
  });

  const [burnMs] = await Promise.all([burnEnded, lightDone]);
  await pool.kill();
  return { latenessMs, burnMs };
}

/** Starts the pool's thread before measuring, so neither side pays a thread start. */
function warmUpThread(pool: Pool): Promise<void> {
  return new Promise((resolve) => {
    pool.addJob({
      id: 'warm-up',
      worker: BURN_MODULE,
      export: 'warmUp',
      interval: { time: '1h' },
      hooks: { finally: { fn: () => resolve() } },
    });
  });
}

function percentile(sortedMs: readonly number[], fraction: number): number {
  const index = Math.min(sortedMs.length - 1, Math.ceil(fraction * sortedMs.length) - 1);
  return sortedMs[Math.max(index, 0)] ?? Number.NaN;
}

function summary(outcome: Outcome): string[] {
  const sorted = [...outcome.latenessMs].sort((a, b) => a - b);
  const mean = sorted.reduce((total, ms) => total + ms, 0) / sorted.length;
  return [
    String(sorted.length),
    mean.toFixed(1),
    String(percentile(sorted, 0.5)),
    String(percentile(sorted, 0.95)),
    String(percentile(sorted, 0.99)),
    String(sorted.at(-1)),
    String(outcome.burnMs),
  ];
}

function printTable(columns: Record<string, Outcome>): void {
  const labels = [
    'light jobs run',
    'mean lateness (ms)',
    'p50 lateness (ms)',
    'p95 lateness (ms)',
    'p99 lateness (ms)',
    'max lateness (ms)',
    'CPU-bound run (ms)',
  ];
  const names = Object.keys(columns);
  const values = Object.values(columns).map(summary);
  console.log(['', ...names].map((text, index) => pad(text, index)).join(''));
  labels.forEach((label, row) => {
    const cells = values.map((column) => column[row] ?? '');
    console.log([label, ...cells].map((text, index) => pad(text, index)).join(''));
  });
}

function pad(text: string, column: number): string {
  return column === 0 ? text.padEnd(20) : text.padStart(16);
}

const cores = availableParallelism();
console.log(
  `Start lateness of ${LIGHT_JOBS} light jobs due over ${SPREAD_MS} ms while a ` +
    `${BURN_MS} ms CPU-bound job runs (Node ${process.version}, ${cores} cores)\n`,
);
printTable({
  'inline fn': await measure({ fn: burnCpu }),
  'worker thread': await measure({ worker: BURN_MODULE }),
  'no CPU job': await measure({}),
});
