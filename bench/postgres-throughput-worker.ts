/**
 * One worker process of the PostgreSQL throughput benchmark. It starts the system named
 * in its first argument against the database in ORBIT_BENCH_DB, working before any job is
 * due, and says `ready`; `go` marks the start of the timed part (after the warm-up), and
 * `stop` stops it. Every job does nothing: the figure is the scheduler's own cost per run.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { run, type Runner } from 'graphile-worker';
import PgBoss from 'pg-boss';
import { Orbit } from '../src/orbit.js';
import type { Store } from '../src/store/store.js';
import { PostgresStore } from '../src/store/postgres/postgres-store.js';
import { benchJobs, BENCH_POOL } from './postgres-throughput-jobs.js';
import { GRAPHILE_WORKER, PG_BOSS } from './postgres-throughput-peers.js';

const system = process.argv[2];
const connectionString = process.env.ORBIT_BENCH_DB ?? '';
const jobCount = Number(process.env.ORBIT_BENCH_JOBS);
const dueAtMs = Number(process.env.ORBIT_BENCH_DUE_AT);
const warmUpCount = Number(process.env.ORBIT_BENCH_WARMUP ?? 0);
const warmUpAtMs = Number(process.env.ORBIT_BENCH_WARMUP_AT ?? dueAtMs);

interface Worker {
  go(): Promise<void>;
  stop(): Promise<void>;
}

async function orbitWorker(): Promise<Worker> {
  const store = new PostgresStore({ connectionString, schema: 'orbit' });
  const registered = countRegistrations(store, warmUpCount + jobCount);
  const pool = new Orbit().createPool({
    id: BENCH_POOL,
    store: registered.store,
    maxWorkers: 1_000,
  });
  // The same kind of job as the timed ones, in the same pool, due a little earlier.
  for (const job of benchJobs(warmUpCount, warmUpAtMs, 'warm')) pool.addJob(job);
  const jobs = benchJobs(jobCount, dueAtMs);
  for (const job of jobs) pool.addJob(job);
  await registered.all;
  // Running before its jobs fall due, as the peers' workers wait for theirs.
  pool.run();
  return {
    go: () => {
      if (process.env.ORBIT_BENCH_TALLY !== undefined) {
        // The tally covers the timed part only: the warm-up's claims are forgotten.
        tally.clear();
        const firstChoice = jobs.filter((job) => store.standby(BENCH_POOL, job.id) === 0);
        tally.set('firstChoice', firstChoice.length);
      }
      return Promise.resolve();
    },
    stop: async () => {
      await pool.kill();
      await store.close();
    },
  };
}

/**
 * The store, with a promise that resolves once `count` jobs are registered: the worker
 * says it is ready only when its pool knows every job, so the timing holds runs only.
 */
const tally = new Map<string, number>();
process.on('exit', () => {
  if (process.env.ORBIT_BENCH_TALLY !== undefined)
    console.error(process.pid, JSON.stringify(Object.fromEntries(tally)));
});

function countRegistrations(store: PostgresStore, count: number) {
  let left = count;
  let done: () => void = () => undefined;
  const all = new Promise<void>((resolve) => (done = resolve));
  // Own properties over the class's methods: the claims and ends of runs pass untouched.
  const register = store.register.bind(store);
  store.register = async (...args: Parameters<Store['register']>) => {
    const registration = await register(...args);
    if (--left === 0) done();
    return registration;
  };
  if (process.env.ORBIT_BENCH_TALLY !== undefined) {
    const claim = store.claim.bind(store);
    store.claim = async (...args: Parameters<Store['claim']>) => {
      const answer = await claim(...args);
      const kind = answer.won
        ? 'won'
        : answer.heldUntil === undefined
          ? `lost-${answer.job?.status}`
          : answer.heldUntil - Date.now() < 1000
            ? 'busy'
            : 'held';
      tally.set(kind, (tally.get(kind) ?? 0) + 1);
      return answer;
    };
  }
  return { store, all };
}

async function pgBossWorker(): Promise<Worker> {
  const boss = new PgBoss({
    connectionString,
    schema: 'pgboss',
    supervise: false,
    schedule: false,
    migrate: false,
  });
  boss.on('error', () => undefined);
  await boss.start();
  // Polling before any job is due, so the warm-up runs through the same workers as the
  // timed jobs.
  const { workers, batchSize, pollingIntervalSeconds } = PG_BOSS;
  for (let i = 0; i < workers; i++) {
    await boss.work('bench', { batchSize, pollingIntervalSeconds }, () => Promise.resolve());
  }
  return {
    go: () => Promise.resolve(),
    stop: async () => {
      await boss.stop({ graceful: false, wait: true });
    },
  };
}

async function graphileWorker(): Promise<Worker> {
  // Started before any job is due: it finds the jobs made due at its next poll.
  const runner: Runner = await run({
    connectionString,
    concurrency: GRAPHILE_WORKER.concurrency,
    maxPoolSize: GRAPHILE_WORKER.maxPoolSize,
    noHandleSignals: true,
    pollInterval: GRAPHILE_WORKER.pollInterval,
    taskList: { bench: () => Promise.resolve() },
    preset: {
      worker: {
        localQueue: { size: GRAPHILE_WORKER.localQueueSize },
        completeJobBatchDelay: GRAPHILE_WORKER.completeJobBatchDelay,
      },
    },
  });
  return {
    go: () => Promise.resolve(),
    stop: () => runner.stop(),
  };
}

const starters: Record<string, () => Promise<Worker>> = {
  orbit: orbitWorker,
  'pg-boss': pgBossWorker,
  'graphile-worker': graphileWorker,
};

/**
 * `ORBIT_BENCH_CPU_PROF=<dir>`: a V8 CPU profile of the timed part only, from `go` to
 * `stop`, written to `<dir>/<system>-<pid>.cpuprofile`.
 */
const profileDirectory = process.env.ORBIT_BENCH_CPU_PROF;
const session = profileDirectory === undefined ? undefined : new Session();
/**
 * Set on `go`. A worker of a trial given up before its timed part never gets `go`, and
 * writes no profile.
 */
let profiling: Promise<void> | undefined;
async function startProfile(): Promise<void> {
  if (session === undefined) return;
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
}
async function writeProfile(): Promise<void> {
  if (session === undefined || profileDirectory === undefined || profiling === undefined) return;
  await profiling;
  const { profile } = await session.post('Profiler.stop');
  session.disconnect();
  mkdirSync(profileDirectory, { recursive: true });
  writeFileSync(`${profileDirectory}/${system}-${process.pid}.cpuprofile`, JSON.stringify(profile));
}

const worker = await (starters[system ?? ''] ?? orbitWorker)();
process.on('message', (message) => {
  if (message === 'go') {
    profiling = startProfile();
    void profiling.then(() => worker.go());
  }
  if (message === 'stop') {
    void writeProfile()
      .then(() => worker.stop())
      .then(() => process.exit(0));
  }
});
process.send?.('ready');
