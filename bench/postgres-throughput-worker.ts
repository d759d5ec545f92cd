/**
 * One worker process of the PostgreSQL throughput benchmark. It starts the system named
 * in its first argument against the database in ORBIT_BENCH_DB, says `ready`, starts
 * working on `go`, and stops on `stop`. Every job does nothing: the figure is the
 * scheduler's own cost per run.
 */
import { run, type Runner } from 'graphile-worker';
import PgBoss from 'pg-boss';
import { PostgresStore } from '../src/store/postgres/postgres-store.js';
import { ClusterRunner } from '../test/support/postgres-cluster-runner.js';
import { benchJobs, BENCH_POOL } from './postgres-throughput-jobs.js';

const system = process.argv[2];
const connectionString = process.env.ORBIT_BENCH_DB ?? '';
const jobCount = Number(process.env.ORBIT_BENCH_JOBS);

interface Worker {
  go(): Promise<void>;
  stop(): Promise<void>;
}

async function orbitWorker(): Promise<Worker> {
  const store = new PostgresStore({ connectionString, schema: 'orbit' });
  const jobs = benchJobs(jobCount).map((definition) => ({
    definition,
    fn: () => undefined,
  }));
  const runner = new ClusterRunner(store, BENCH_POOL, jobs, 1_000);
  await runner.start();
  return {
    // The driver made the jobs due; without the nudge the pool finds them within pollInterval.
    go: () => Promise.resolve(runner.wake()),
    stop: async () => {
      await runner.stop();
      await store.close();
    },
  };
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
  const workerIds: string[] = [];
  return {
    go: async () => {
      for (let i = 0; i < 2; i++) {
        workerIds.push(
          await boss.work('bench', { batchSize: 250, pollingIntervalSeconds: 0.5 }, () =>
            Promise.resolve(),
          ),
        );
      }
    },
    stop: async () => {
      await boss.stop({ graceful: false, wait: true });
    },
  };
}

async function graphileWorker(): Promise<Worker> {
  // Started before `go`: it finds the jobs made due at its next poll or notification.
  const runner: Runner = await run({
    connectionString,
    concurrency: 32,
    maxPoolSize: 34,
    noHandleSignals: true,
    pollInterval: 100,
    taskList: { bench: () => Promise.resolve() },
    preset: { worker: { localQueue: { size: 250 }, completeJobBatchDelay: 0 } },
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

const worker = await (starters[system ?? ''] ?? orbitWorker)();
process.on('message', (message) => {
  if (message === 'go') void worker.go();
  if (message === 'stop') void worker.stop().then(() => process.exit(0));
});
process.send?.('ready');
