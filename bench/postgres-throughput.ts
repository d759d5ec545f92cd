/**
 * Claimed-and-completed runs per second on one PostgreSQL, for Orbit's PostgreSQL store
 * with 1, 2 and 4 processes, beside pg-boss and graphile-worker given the same number of
 * due jobs in the same run.
 *
 *   npm run bench:pg                      # 100,000 jobs per trial, median of 3 rounds
 *   ORBIT_BENCH_JOBS=20000 ORBIT_BENCH_ROUNDS=5 npm run bench:pg
 *   ORBIT_BENCH_WARMUP=0 npm run bench:pg # no warm-up: fresh processes are timed
 *   ORBIT_BENCH_CPU_PROF=.scratch/prof npm run bench:pg   # a CPU profile per worker, timed part
 *
 * Each trial gets a fresh database. The jobs are written first, not yet due, and the
 * worker processes start, begin working and report ready. Then comes the untimed warm-up:
 * the driver makes ORBIT_BENCH_WARMUP jobs due (2,000 by default), of the same kind and on
 * the same queue, task or pool as the timed ones, and waits until all have completed.
 * The timed jobs fall due 1 s after the warm-up jobs did: the driver makes them due in
 * one statement, says `go`, and times until the database holds every timed run as
 * completed; the CPU figures and the profiles cover this timed part only. Orbit's
 * workers are real pools (`orbit.createPool({ id, store })`) that add the jobs themselves
 * and run before any falls due: the warm-up jobs at one instant the driver chose
 * (`startAt`), the timed jobs 1 s later, where the timing starts. Jobs do no work, so the
 * figure is the cost of claiming, recording and completing a run.
 *
 * Why the same pause for every system: a process left idle for a few seconds lets V8
 * shrink its heap, and the burst that follows pays for growing it again. A pause longer
 * for one system than for another would time that difference rather than the systems.
 *
 * Why a warm-up: a scheduler process runs for days, while every trial starts fresh
 * processes. During a fresh process's first thousands of runs, V8 is still compiling the
 * claim, run and complete path on its background threads, a cost a long-running service
 * pays once in its life; timed from a cold start, the figure would partly measure V8's
 * compiler rather than the scheduler. Every system gets the same warm-up.
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

/**
 * Due jobs per trial. With 100,000 the timed part lasts seconds for every system, so it
 * times the systems running rather than getting going: with 20,000 and four processes,
 * each of Orbit's processes runs 5,000 jobs in well under a second, and a V8 heap still
 * growing into the burst costs it as much as the runs do.
 */
const JOBS = Number(process.env.ORBIT_BENCH_JOBS ?? 100_000);
/** Warm-up jobs each trial runs, untimed, before the timed ones; 0 runs none. */
const WARMUP = Number(process.env.ORBIT_BENCH_WARMUP ?? 2_000);
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
/** A trial's untimed warm-up, then its timed jobs. */
type Part = 'warm-up' | 'timed';
const partSize = (part: Part) => (part === 'warm-up' ? WARMUP : JOBS);
/** The peers' jobs are written due at this far instant, then made due by the driver. */
const LATER = new Date(Date.UTC(2100, 0, 1));

/** Writes the warm-up jobs and the timed ones, not yet due (Orbit's pools add their own). */
const prepare: Record<System, (db: TestDatabase) => Promise<void>> = {
  orbit: () => Promise.resolve(),
  'pg-boss': async (db) => {
    const boss = new PgBoss({ connectionString: db.connectionString, schema: 'pgboss' });
    boss.on('error', () => undefined);
    await boss.start();
    await boss.createQueue('bench');
    await writeInBatches(
      (warm) => ({ name: 'bench', startAfter: LATER, ...(warm && { data: { warm } }) }),
      (batch) => boss.insert(batch),
    );
    await boss.stop({ graceful: false, wait: true });
  },
  'graphile-worker': async (db) => {
    const utils = await makeWorkerUtils({ connectionString: db.connectionString });
    await utils.migrate();
    await writeInBatches(
      (warm) => ({ identifier: 'bench', payload: warm ? { warm } : {}, runAt: LATER }),
      (batch) => utils.addJobs(batch),
    );
    await utils.release();
  },
};

/** Writes `WARMUP` jobs made by `job(true)`, then `JOBS` made by `job(false)`, in batches. */
async function writeInBatches<T>(
  job: (warm: boolean) => T,
  write: (batch: T[]) => Promise<unknown>,
) {
  const jobs = [
    ...Array.from({ length: WARMUP }, () => job(true)),
    ...Array.from({ length: JOBS }, () => job(false)),
  ];
  for (let i = 0; i < jobs.length; i += 5_000) await write(jobs.slice(i, i + 5_000));
}

/** The condition that picks one part of a peer's jobs: warm-up jobs carry `{ warm: true }`. */
const peerPart = (column: string, part: Part) =>
  part === 'warm-up' ? `${column}->>'warm' = 'true'` : `${column}->>'warm' IS NULL`;

/** The statement that makes one part's jobs due. Orbit's pools make theirs due (`startAt`). */
const makeDue: Record<System, (part: Part) => string> = {
  orbit: () => `SELECT 1`,
  'pg-boss': (part) =>
    `UPDATE pgboss.job SET start_after = now() WHERE name = 'bench' AND ${peerPart('data', part)}`,
  'graphile-worker': (part) =>
    `UPDATE graphile_worker._private_jobs SET run_at = now() WHERE ${peerPart('payload', part)}`,
};

/** Counts one part's runs completed so far; graphile-worker's is `$1`, the part's size. */
const completed: Record<System, (part: Part) => string> = {
  orbit: (part) =>
    `SELECT count(*)::int AS n FROM orbit.runs WHERE status = 'succeeded' ` +
    `AND job_id LIKE '${part === 'warm-up' ? 'warm' : 'job'}-%'`,
  'pg-boss': (part) =>
    `SELECT count(*)::int AS n FROM pgboss.job ` +
    `WHERE name = 'bench' AND state = 'completed' AND ${peerPart('data', part)}`,
  // graphile-worker deletes a job once it has completed.
  'graphile-worker': (part) =>
    `SELECT ($1::int - count(*))::int AS n FROM graphile_worker._private_jobs ` +
    `WHERE ${peerPart('payload', part)}`,
};

interface Trial {
  readonly perSecond: number;
  /** CPU per run in µs, of the worker processes and of PostgreSQL, while timed. */
  readonly cpu: { workersUs: number; postgresUs: number } | undefined;
}

/**
 * How long the driver gives Orbit's workers to start before their first jobs fall due, per
 * process, and how long before the timed jobs the warm-up jobs fall due, for every
 * system; both doubled and tried again when Orbit's workers were not all ready, or not all
 * warm, in time.
 */
const START_MARGIN_MS = 5_000;
const WARMUP_LEAD_MS = WARMUP > 0 ? 1_000 : 0;

async function trial(system: System, processes: number): Promise<Trial> {
  const firstMarginMs = START_MARGIN_MS * (processes + 1);
  for (let marginMs = firstMarginMs, leadMs = WARMUP_LEAD_MS; ; marginMs *= 2, leadMs *= 2) {
    const warmUpAtMs = Date.now() + marginMs;
    const result = await timedTrial(system, processes, warmUpAtMs, warmUpAtMs + leadMs);
    if (result !== undefined) return result;
  }
}

/**
 * One trial. Orbit's warm-up jobs fall due at `warmUpAtMs` and its timed jobs at
 * `dueAtMs`, in pools that run before then, as the peers' jobs wait in their tables while
 * their workers start; `undefined` when one of Orbit's workers was not ready by
 * `warmUpAtMs`, or the warm-up runs were not all done by `dueAtMs`.
 */
async function timedTrial(
  system: System,
  processes: number,
  warmUpAtMs: number,
  dueAtMs: number,
): Promise<Trial | undefined> {
  const db = await createTestDatabase();
  const workers: ChildProcess[] = [];
  try {
    await prepare[system](db);
    for (let i = 0; i < processes; i++) {
      workers.push(await startWorker(system, db, warmUpAtMs, dueAtMs));
    }
    if (system === 'orbit' && warmUpAtMs - Date.now() < 100) return undefined;
    // The peers' warm-up jobs fall due now, and their timed jobs as long after as Orbit's.
    const timedAtMs = system === 'orbit' ? dueAtMs : Date.now() + (dueAtMs - warmUpAtMs);
    if (!(await warmUp(db, system, dueAtMs))) return undefined;

    const leftMs = timedAtMs - Date.now();
    if (system === 'orbit' && leftMs < 100) return undefined;
    if (leftMs > 50) await new Promise((resolve) => setTimeout(resolve, leftMs - 50));
    const pids = workers.map((worker) => worker.pid ?? 0);
    for (const worker of workers) worker.send('go');
    while (Date.now() < timedAtMs);
    await db.sql.query(makeDue[system]('timed'));
    const cpuBefore = readCpu(pids);
    const startedMs = performance.now();
    await untilCompleted(db, system, 'timed');
    const perSecond = JOBS / ((performance.now() - startedMs) / 1_000);
    const spent = cpuBetween(cpuBefore, readCpu(pids));
    const cpu = spent && { workersUs: spent.workersUs / JOBS, postgresUs: spent.postgresUs / JOBS };
    return { perSecond, cpu };
  } finally {
    await Promise.all(workers.map(stopWorker));
    await db.drop();
  }
}

/**
 * The untimed warm-up: makes the warm-up jobs due (Orbit's pools do it at the warm-up
 * instant) and waits until they have all completed; false when Orbit's have not by
 * `dueAtMs`, the instant its timed jobs fall due.
 */
async function warmUp(db: TestDatabase, system: System, dueAtMs: number): Promise<boolean> {
  if (WARMUP === 0) return true;
  await db.sql.query(makeDue[system]('warm-up'));
  return untilCompleted(db, system, 'warm-up', system === 'orbit' ? dueAtMs - 100 : Infinity);
}

function startWorker(
  system: System,
  db: TestDatabase,
  warmUpAtMs: number,
  dueAtMs: number,
): Promise<ChildProcess> {
  const child = fork(WORKER, [system], {
    execArgv: ['--import', 'tsx'],
    env: {
      ...process.env,
      ORBIT_BENCH_DB: db.connectionString,
      ORBIT_BENCH_JOBS: String(JOBS),
      ORBIT_BENCH_DUE_AT: String(dueAtMs),
      ORBIT_BENCH_WARMUP: String(WARMUP),
      ORBIT_BENCH_WARMUP_AT: String(warmUpAtMs),
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

/**
 * Waits until every run of `part` has completed: true then, false once the clock passes
 * `giveUpAtMs` first; throws after TIMEOUT_MS.
 */
async function untilCompleted(
  db: TestDatabase,
  system: System,
  part: Part,
  giveUpAtMs = Infinity,
): Promise<boolean> {
  const startedMs = performance.now();
  const values = system === 'graphile-worker' ? [partSize(part)] : [];
  for (;;) {
    const { rows } = await db.sql.query<{ n: number }>(completed[system](part), values);
    if ((rows[0]?.n ?? 0) >= partSize(part)) return true;
    if (Date.now() > giveUpAtMs) return false;
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

const trialSize =
  `${JOBS.toLocaleString('en-US')} due jobs per trial ` +
  (WARMUP > 0 ? `after ${WARMUP.toLocaleString('en-US')} untimed warm-up runs` : 'without warm-up');

console.log(`load average (1, 5, 15 min) at the start: ${loadAverage()}`);
console.log(`${trialSize}, ${ROUNDS} round${ROUNDS > 1 ? 's' : ''}`);
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

console.log(`${trialSize}; runs claimed and completed per second, median of ${ROUNDS} rounds:`);
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
