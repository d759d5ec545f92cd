/**
 * Claimed-and-completed runs per second on one PostgreSQL, for Orbit's PostgreSQL store
 * with 1, 2 and 4 processes, beside pg-boss and graphile-worker given the same number of
 * due jobs in the same run.
 *
 *   npm run bench:pg                      # 20,000 jobs per trial, median of 3 rounds
 *   ORBIT_BENCH_JOBS=50000 ORBIT_BENCH_ROUNDS=5 npm run bench:pg
 *   ORBIT_BENCH_CPU_PROF=.scratch/prof npm run bench:pg   # a CPU profile per worker, timed part
 *
 * Each trial gets a fresh database. The jobs are written first, not yet due; the worker
 * processes start and report ready; then the driver makes every job due in one statement,
 * says `go`, and times until the database holds every run as completed. Orbit's workers are
 * real pools (`orbit.createPool({ id, store })`) that add the jobs themselves and run
 * before the jobs fall due, all at one instant the driver chose (`startAt`); the timing
 * starts at that instant. Jobs do no work, so the figure is the cost of claiming,
 * recording and completing a run.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { makeWorkerUtils } from 'graphile-worker';
import PgBoss from 'pg-boss';
import { createTestDatabase, type TestDatabase } from '../test/support/postgres-database.js';
import { cpuBetween, readCpu } from './measure/process-cpu.js';
import { median } from './report/aggregate.js';
import { PEER_SETTINGS } from './postgres-throughput-peers.js';

const JOBS = Number(process.env.ORBIT_BENCH_JOBS ?? 20_000);
/** Rounds; each cell shows the median of its trials, one per round. */
const ROUNDS = Number(process.env.ORBIT_BENCH_ROUNDS ?? 3);
/** `ORBIT_BENCH_PROCESSES=4` measures one column only. */
const PROCESS_COUNTS = (process.env.ORBIT_BENCH_PROCESSES ?? '1,2,4').split(',').map(Number);
const ALL_SYSTEMS = ['orbit', 'pg-boss', 'graphile-worker'] as const;
type System = (typeof ALL_SYSTEMS)[number];
/** `ORBIT_BENCH_SYSTEMS=orbit` measures some systems only, for a quick look. */
const SYSTEMS = ALL_SYSTEMS.filter(
  (system) => process.env.ORBIT_BENCH_SYSTEMS?.split(',').includes(system) ?? true,
);
const WORKER = fileURLToPath(new URL('./postgres-throughput-worker.ts', import.meta.url));
const TIMEOUT_MS = 300_000;

/** Writes the jobs, not yet due; returns the statement that makes them all due. */
const prepare: Record<System, (db: TestDatabase) => Promise<string>> = {
  // The pools add the jobs themselves, due at once; they start on `go` (pool.run()).
  orbit: () => Promise.resolve(`SELECT 1`),
  'pg-boss': async (db) => {
    const boss = new PgBoss({ connectionString: db.connectionString, schema: 'pgboss' });
    boss.on('error', () => undefined);
    await boss.start();
    await boss.createQueue('bench');
    const later = new Date(Date.UTC(2100, 0, 1));
    for (let i = 0; i < JOBS; i += 5_000) {
      const batch = Math.min(5_000, JOBS - i);
      await boss.insert(
        Array.from({ length: batch }, () => ({ name: 'bench', startAfter: later })),
      );
    }
    await boss.stop({ graceful: false, wait: true });
    return `UPDATE pgboss.job SET start_after = now() WHERE name = 'bench'`;
  },
  'graphile-worker': async (db) => {
    const utils = await makeWorkerUtils({ connectionString: db.connectionString });
    await utils.migrate();
    const later = new Date(Date.UTC(2100, 0, 1));
    for (let i = 0; i < JOBS; i += 5_000) {
      const batch = Math.min(5_000, JOBS - i);
      await utils.addJobs(
        Array.from({ length: batch }, () => ({ identifier: 'bench', payload: {}, runAt: later })),
      );
    }
    await utils.release();
    return `UPDATE graphile_worker._private_jobs SET run_at = now()`;
  },
};

/** Counts the runs completed so far. */
const completed: Record<System, string> = {
  orbit: `SELECT count(*)::int AS n FROM orbit.runs WHERE status = 'succeeded'`,
  'pg-boss': `SELECT count(*)::int AS n FROM pgboss.job WHERE name = 'bench' AND state = 'completed'`,
  'graphile-worker': `SELECT ($1::int - count(*))::int AS n FROM graphile_worker._private_jobs`,
};

interface Trial {
  readonly perSecond: number;
  /** CPU per run in µs, of the worker processes and of PostgreSQL, while timed. */
  readonly cpu: { workersUs: number; postgresUs: number } | undefined;
}

/**
 * How long the driver gives Orbit's workers to start before their jobs fall due, per
 * process; doubled and tried again when they were not all ready in time.
 */
const START_MARGIN_MS = 5_000;

async function trial(system: System, processes: number): Promise<Trial> {
  for (let marginMs = START_MARGIN_MS * (processes + 1); ; marginMs *= 2) {
    const result = await timedTrial(system, processes, Date.now() + marginMs);
    if (result !== undefined) return result;
  }
}

/**
 * One trial. Orbit's jobs fall due at `dueAtMs`, in pools that run before it, as the
 * peers' jobs wait in their tables while their workers start; `undefined` when a worker
 * was not ready by then.
 */
async function timedTrial(
  system: System,
  processes: number,
  dueAtMs: number,
): Promise<Trial | undefined> {
  const db = await createTestDatabase();
  const workers: ChildProcess[] = [];
  try {
    const makeDue = await prepare[system](db);
    for (let i = 0; i < processes; i++) workers.push(await startWorker(system, db, dueAtMs));

    if (system === 'orbit') {
      const leftMs = dueAtMs - Date.now();
      if (leftMs < 100) return undefined;
      await new Promise((resolve) => setTimeout(resolve, leftMs - 50));
    }
    const pids = workers.map((worker) => worker.pid ?? 0);
    for (const worker of workers) worker.send('go');
    if (system === 'orbit') while (Date.now() < dueAtMs);
    await db.sql.query(makeDue);
    const cpuBefore = readCpu(pids);
    const startedMs = performance.now();
    await untilAllCompleted(db, system, startedMs);
    const perSecond = JOBS / ((performance.now() - startedMs) / 1_000);
    const spent = cpuBetween(cpuBefore, readCpu(pids));
    const cpu = spent && { workersUs: spent.workersUs / JOBS, postgresUs: spent.postgresUs / JOBS };
    return { perSecond, cpu };
  } finally {
    await Promise.all(workers.map(stopWorker));
    await db.drop();
  }
}

function startWorker(system: System, db: TestDatabase, dueAtMs: number): Promise<ChildProcess> {
  const child = fork(WORKER, [system], {
    execArgv: ['--import', 'tsx'],
    env: {
      ...process.env,
      ORBIT_BENCH_DB: db.connectionString,
      ORBIT_BENCH_JOBS: String(JOBS),
      ORBIT_BENCH_DUE_AT: String(dueAtMs),
    },
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    child.once('message', () => resolve(child));
    child.once('exit', (code) => reject(new Error(`${system} worker exited with ${code}`)));
  });
}

function stopWorker(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.removeAllListeners('exit');
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.send('stop');
  });
}

async function untilAllCompleted(db: TestDatabase, system: System, startedMs: number) {
  const values = system === 'graphile-worker' ? [JOBS] : [];
  for (;;) {
    const { rows } = await db.sql.query<{ n: number }>(completed[system], values);
    if ((rows[0]?.n ?? 0) >= JOBS) return;
    if (performance.now() - startedMs > TIMEOUT_MS) throw new Error(`${system} timed out`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const rates = new Map<System, Map<string, number>>();
const trials = new Map<string, number[]>();
const cpuTrials = new Map<string, { workersUs: number; postgresUs: number }[]>();
const columnName = (processes: number) => `${processes} process${processes > 1 ? 'es' : ''}`;
const loadAverage = () =>
  loadavg()
    .map((load) => load.toFixed(2))
    .join(' ');

console.log(`load average (1, 5, 15 min) at the start: ${loadAverage()}`);
console.log(PEER_SETTINGS);
// Rounds interleave the systems, each round in a rotated order, so a burst of load from
// elsewhere on the machine lands on all of them alike; each cell is the median of its rounds.
for (let round = 0; round < ROUNDS; round++) {
  for (const processes of PROCESS_COUNTS) {
    for (let i = 0; i < SYSTEMS.length; i++) {
      const system = SYSTEMS[(i + round) % SYSTEMS.length] as System;
      const { perSecond, cpu } = await trial(system, processes);
      const key = `${system}|${processes}`;
      trials.set(key, [...(trials.get(key) ?? []), perSecond]);
      if (cpu !== undefined) cpuTrials.set(key, [...(cpuTrials.get(key) ?? []), cpu]);
    }
  }
  console.log(`round ${round + 1} of ${ROUNDS} done; load average: ${loadAverage()}`);
}
for (const processes of PROCESS_COUNTS) {
  for (const system of SYSTEMS) {
    if (!rates.has(system)) rates.set(system, new Map());
    rates
      .get(system)
      ?.set(columnName(processes), median(trials.get(`${system}|${processes}`) ?? []));
  }
}

/** One row per system, one column per process count, each cell made by `cell`. */
function table(cell: (system: System, column: string, perSecond: number) => string) {
  const rows: Record<string, Record<string, string>> = {};
  for (const [system, columns] of rates) {
    rows[system] = {};
    for (const [column, perSecond] of columns)
      rows[system][column] = cell(system, column, perSecond);
  }
  return rows;
}

console.log(
  `${JOBS.toLocaleString('en-US')} due jobs per trial; runs claimed and completed per second, ` +
    `median of ${ROUNDS} rounds:`,
);
console.table(table((_, __, perSecond) => Math.round(perSecond).toLocaleString('en-US')));
const orbit = rates.get('orbit');
if (orbit !== undefined && rates.size > 1) {
  console.log("Orbit's rate divided by each system's (above 1: Orbit is faster):");
  console.table(table((_, column, perSecond) => ((orbit.get(column) ?? 0) / perSecond).toFixed(2)));
}
if (cpuTrials.size > 0) {
  console.log('CPU per run in µs, worker processes + PostgreSQL, median of the rounds:');
  console.table(
    table((system, column) => {
      const processes = PROCESS_COUNTS.find((count) => columnName(count) === column);
      const cpu = cpuTrials.get(`${system}|${processes}`) ?? [];
      const workers = median(cpu.map((c) => c.workersUs));
      const postgres = median(cpu.map((c) => c.postgresUs));
      return `${workers.toFixed(1)} + ${postgres.toFixed(1)}`;
    }),
  );
}
console.log(`load average at the end: ${loadAverage()}`);
