/**
 * One process of the chaos test: it runs the shared jobs of the chaos pool until told to
 * stop (SIGTERM), or until the driver kills or freezes it. Every run writes one effect
 * row, the way a job with side effects would, so the driver can count executions.
 */
import pg from 'pg';
import { PostgresStore } from '../../../../src/store/postgres/postgres-store.js';
import { ClusterRunner, type RunnerJob } from '../../../support/postgres-cluster-runner.js';
import { chaosJobs, CHAOS_POOL, CHAOS_STORE_OPTIONS } from './chaos-plan.js';

const connectionString = process.env.ORBIT_CHAOS_DB ?? '';
const startAtMs = Number(process.env.ORBIT_CHAOS_START);

const effects = new pg.Pool({ connectionString, max: 2 });
effects.on('error', () => undefined);
const store = new PostgresStore({ connectionString, ...CHAOS_STORE_OPTIONS });

const jobs: RunnerJob[] = chaosJobs(startAtMs).map((definition) => ({
  definition,
  fn: async (run) => {
    await effects.query(
      'INSERT INTO chaos_effects (job_id, tick, fence, pid) VALUES ($1, $2, $3, $4)',
      [run.jobId, new Date(run.tickMs), run.fence, process.pid],
    );
    await new Promise((resolve) => setTimeout(resolve, 100 + Math.random() * 500));
    if (Math.random() < 0.05) throw new Error('a failure the job reports');
  },
}));

const runner = new ClusterRunner(store, CHAOS_POOL, jobs);

process.on('SIGTERM', () => {
  void (async () => {
    await runner.stop();
    await store.close();
    await effects.end();
    process.exit(0);
  })();
});

await runner.start();
process.send?.('ready');
