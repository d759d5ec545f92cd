/**
 * One process of the chaos test: a real Orbit pool on the PostgreSQL store, running the
 * shared jobs until told to stop (SIGTERM), or until the driver kills or freezes it. Every
 * run writes one effect row, the way a job with side effects would, so the driver can
 * count executions. The driver may also ask this process, over IPC, to pause, resume or
 * stop a job, or to tell what its pool shows of one.
 */
import pg from 'pg';
import { Orbit } from '../../../../src/orbit.js';
import type { JobControl } from '../../../../src/job/job-config.js';
import { PostgresStore } from '../../../../src/store/postgres/postgres-store.js';
import { chaosJobs, CHAOS_POOL, CHAOS_STORE_OPTIONS, CONTROLLED_JOB } from './chaos-plan.js';

const connectionString = process.env.ORBIT_CHAOS_DB ?? '';
const startAtMs = Number(process.env.ORBIT_CHAOS_START);

const effects = new pg.Pool({ connectionString, max: 2 });
effects.on('error', () => undefined);
const store = new PostgresStore({ connectionString, ...CHAOS_STORE_OPTIONS });
const pool = new Orbit().createPool({ id: CHAOS_POOL, store });

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function note(ctrl: JobControl, event: string): Promise<void> {
  await effects.query(
    'INSERT INTO chaos_effects (job_id, tick, fence, pid, event) VALUES ($1, $2, $3, $4, $5)',
    [ctrl.jobId, ctrl.scheduledAt, ctrl.fence, process.pid, event],
  );
}

async function tick(ctrl: JobControl): Promise<void> {
  await note(ctrl, 'ran');
  await sleep(100 + Math.random() * 500);
  if (Math.random() < 0.05) throw new Error('a failure the job reports');
}

/** Works at checkpoints until stopped, noting each pause it takes. */
async function controlled(ctrl: JobControl): Promise<void> {
  await note(ctrl, 'ran');
  while (!ctrl.signal.aborted) {
    if (ctrl.pauseRequested) await note(ctrl, 'pause seen');
    if (await ctrl.checkpoint()) await note(ctrl, 'resumed');
    await sleep(50);
  }
  const reason = ctrl.signal.reason as { code?: string };
  await note(ctrl, `aborted ${reason.code ?? ''}`);
}

for (const job of chaosJobs(startAtMs)) {
  pool.addJob({ ...job, fn: job.id === CONTROLLED_JOB ? controlled : tick });
}

interface Order {
  readonly command: 'pause' | 'resume' | 'stop' | 'status';
  readonly jobId: string;
}

process.on('message', (order: Order) => {
  try {
    if (order.command === 'pause') pool.pauseJob(order.jobId, 5_000);
    if (order.command === 'resume') pool.resumeJob(order.jobId);
    if (order.command === 'stop') pool.stopJob(order.jobId);
    process.send?.({ status: pool.getMetrics()[order.jobId]?.status });
  } catch (error) {
    process.send?.({ error: (error as { code?: string }).code });
  }
});

process.on('SIGTERM', () => {
  void (async () => {
    await pool.kill({ timeout: 2_000 });
    await store.close();
    await effects.end();
    process.exit(0);
  })();
});

pool.run();
process.send?.('ready');
