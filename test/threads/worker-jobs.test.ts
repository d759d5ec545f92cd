import { afterEach, describe, expect, it } from 'vitest';
import {
  Orbit,
  OrbitError,
  type JobConfig,
  type JobState,
  type Logger,
  type LogMeta,
  type Pool,
  type PoolConfig,
} from '../../src/index.js';

// These tests start real worker threads and use the real clock: they prove that a
// thread is really terminated and that the pool's own thread really stays free.

const fixture = (name: string): URL => new URL(`./fixtures/${name}`, import.meta.url);
const BUSY_LOOP = fixture('busy-loop.mjs');
const CONTROL = fixture('control.mjs');
const FAILURES = fixture('failures.mjs');

let pools: Pool[] = [];

afterEach(async () => {
  await Promise.all(pools.map((pool) => pool.kill({ timeout: 2_000 })));
  pools = [];
});

function startPool(config: PoolConfig = {}, logger?: Logger): Pool {
  const pool = new Orbit(logger === undefined ? {} : { logger }).createPool(config);
  pools.push(pool);
  return pool;
}

/** Adds a job that runs once, and resolves with the error of that run (or undefined). */
function runOnce(pool: Pool, config: Omit<JobConfig, 'interval'>): Promise<unknown> {
  return new Promise((resolve) => {
    pool.addJob({
      interval: { time: '1h' },
      ...config,
      hooks: { ...config.hooks, finally: { fn: (_ctrl, error) => resolve(error) } },
    });
  });
}

/** A running pool whose one thread has started and run a job, so timings leave out its start. */
async function warmPool(logger?: Logger): Promise<Pool> {
  const pool = startPool({ threads: 1 }, logger);
  pool.run();
  await runOnce(pool, { id: 'warm-up', worker: CONTROL });
  return pool;
}

function until(condition: () => boolean, timeoutMs = 3_000): Promise<void> {
  const giveUpAtMs = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const check = (): void => {
      if (condition()) resolve();
      else if (Date.now() > giveUpAtMs) reject(new Error('condition not met in time'));
      else setTimeout(check, 5);
    };
    check();
  });
}

describe('timeouts of worker jobs', () => {
  it('terminates a busy-looping module after its grace while inline jobs keep their timing', async () => {
    const pool = await warmPool();
    const latenessMs: number[] = [];
    pool.addJob({
      id: 'tick',
      fn: (ctrl) => void latenessMs.push(Date.now() - ctrl.scheduledAt.getTime()),
      interval: { time: 20 },
    });
    let startedAtMs = 0;

    const error = await runOnce(pool, {
      id: 'spin',
      worker: BUSY_LOOP,
      timeout: 400,
      killAfter: 100,
      hooks: { onStart: { fn: () => void (startedAtMs = Date.now()) } },
    });
    const elapsedMs = Date.now() - startedAtMs;

    expect(error).toBeInstanceOf(OrbitError);
    expect(error).toMatchObject({ code: 'JOB_TIMEOUT', forced: true, jobId: 'spin' });
    expect(elapsedMs).toBeGreaterThanOrEqual(490);
    expect(elapsedMs).toBeLessThan(1_500);
    // The loop ran for 500 ms; on the pool's thread it would have made the ticks as late.
    expect(latenessMs.length).toBeGreaterThanOrEqual(12);
    expect(Math.max(...latenessMs)).toBeLessThan(200);
  });

  it('ends a module that watches its signal at the timeout, without force', async () => {
    const pool = await warmPool();

    const error = await runOnce(pool, {
      id: 'polite',
      worker: BUSY_LOOP,
      export: 'watchesSignal',
      timeout: 100,
      killAfter: 5_000,
    });

    expect(pool.getMetrics().polite?.data).toEqual({ spinning: true });
    expect(error).toMatchObject({ code: 'JOB_TIMEOUT', forced: false });
  });

  it('terminates a stopped busy-looping module after its grace', async () => {
    const warnings: LogMeta[] = [];
    const pool = await warmPool(recordingLogger(warnings));
    pool.addJob({ id: 'spin', worker: BUSY_LOOP, interval: { time: '1h' }, killAfter: 50 });
    await until(() => pool.getMetrics().spin?.data.spinning === true);

    pool.stopJob('spin');

    expect(pool.getMetrics().spin?.status).toBe('stopped');
    await until(() => warnings.length > 0);
    expect(warnings[0]).toMatchObject({ jobId: 'spin', reason: 'JOB_STOPPED', killAfterMs: 50 });
  });
});

describe('killing a pool with worker jobs', () => {
  it('terminates a busy thread when the kill timeout ends, before the job’s grace', async () => {
    const pool = await warmPool();
    pool.addJob({ id: 'spin', worker: BUSY_LOOP, interval: { time: '1h' }, killAfter: '1m' });
    await until(() => pool.getMetrics().spin?.data.spinning === true);
    const killedAtMs = Date.now();

    await pool.kill({ timeout: 100 });

    expect(Date.now() - killedAtMs).toBeLessThan(1_000);
    expect(pool.getMetrics().spin).toMatchObject({
      status: 'stopped',
      error: { jobError: { code: 'POOL_SHUTDOWN' } },
    });
  });
});

describe('the control of a job in a worker thread', () => {
  it('takes a pause at a checkpoint inside the thread and goes on when resumed', async () => {
    const pool = startPool();
    const resumed: string[] = [];
    pool.run();
    const ended = runOnce(pool, {
      id: 'pausable',
      worker: CONTROL,
      export: 'pausesAtCheckpoint',
      hooks: { onResume: { fn: (ctrl) => void resumed.push(ctrl.jobId) } },
    });
    await until(() => pool.getMetrics().pausable?.data.phase === 'waiting for a pause');

    pool.pauseJob('pausable', '150ms');
    // Not taken, the pause would be withdrawn after 150 ms.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(pool.getMetrics().pausable?.status).toBe('paused');
    pool.resumeJob('pausable');

    expect(await ended).toBeUndefined();
    expect(resumed).toEqual(['pausable']);
    expect(pool.getMetrics().pausable?.data).toEqual({ phase: 'resumed', taken: true });
  });

  it('hands data saved in the thread to hooks and monitoring, and onStart data to the thread', async () => {
    const seen: JobState[] = [];
    const pool = new Orbit().createPool(
      {},
      { saveMetrics: (state) => void seen.push(state), getMetrics: () => ({}) },
    );
    pools.push(pool);
    let dataInOnSuccess: Record<string, unknown> = {};
    pool.run();

    await runOnce(pool, {
      id: 'reporter',
      worker: CONTROL,
      hooks: {
        onStart: { fn: (ctrl) => ctrl.saveData({ from: 'onStart' }) },
        onSuccess: { fn: (ctrl) => void (dataInOnSuccess = ctrl.getData()) },
      },
    });

    const expected = { jobId: 'reporter', fence: 1, seenAtStart: { from: 'onStart' } };
    expect(dataInOnSuccess).toMatchObject(expected);
    expect(typeof dataInOnSuccess.threadId).toBe('number');
    expect(seen.some((state) => state.data.threadId === dataInOnSuccess.threadId)).toBe(true);
  });

  it('runs a TypeScript module that loads as CommonJS', async () => {
    const pool = startPool();
    pool.run();

    const error = await runOnce(pool, { id: 'typed', worker: fixture('typed-job.cts') });

    expect(error).toBeUndefined();
    expect(pool.getMetrics().typed?.data).toMatchObject({ typed: true });
  });

  it('runs every run of a job on the same thread', async () => {
    const pool = startPool({ threads: 1 });
    const threadIds: unknown[] = [];
    pool.addJob({
      id: 'repeat',
      worker: CONTROL,
      interval: { time: 30 },
      hooks: { onSuccess: { fn: (ctrl) => void threadIds.push(ctrl.getData().threadId) } },
    });
    pool.run();

    await until(() => threadIds.length >= 3);

    expect(new Set(threadIds).size).toBe(1);
  });
});

describe('worker threads that fail', () => {
  it('fails the run with JOB_EXECUTION and keeps the pool going', async () => {
    const pool = startPool({ threads: 2 });
    pool.run();
    const failing = (name: string, extra: Partial<JobConfig> = {}): Promise<unknown> =>
      runOnce(pool, { id: name, worker: FAILURES, export: name, ...extra });

    const errors = await Promise.all([
      failing('exits'),
      failing('throwsLater'),
      failing('throwsUncloneable'),
      failing('throwsCodedError'),
      failing('exhaustsMemory', { resourceLimits: { maxOldGenerationSizeMb: 32 } }),
      failing('notAFunction'),
    ]);
    const healthy = await runOnce(pool, { id: 'healthy', worker: CONTROL });

    for (const error of errors) expect(error).toMatchObject({ code: 'JOB_EXECUTION' });
    const [exits, throwsLater, uncloneable, coded, outOfMemory, notAFunction] = errors.map(
      (error) => (error as OrbitError).cause,
    );
    expect(String(exits)).toMatch(/exited with code 3/);
    expect(throwsLater).toMatchObject({ message: 'thrown outside the job' });
    expect(String(uncloneable)).toMatch(/cannot be copied out of its worker thread/);
    expect(coded).toMatchObject({ name: 'RangeError', message: 'out of range', code: 'E_RANGE' });
    expect(outOfMemory).toMatchObject({ code: 'ERR_WORKER_OUT_OF_MEMORY' });
    expect(notAFunction).toMatchObject({ code: 'INVALID_CONFIG' });
    expect(healthy).toBeUndefined();
  });
});

function recordingLogger(warnings: LogMeta[]): Logger {
  const logger: Logger = {
    debug: () => undefined,
    info: () => undefined,
    warn: (_message, meta) => void warnings.push(meta ?? {}),
    error: () => undefined,
    child: () => logger,
  };
  return logger;
}
