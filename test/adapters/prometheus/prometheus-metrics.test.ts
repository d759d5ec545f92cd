import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { PrometheusMetrics } from '../../../src/adapters/prometheus/index.js';
import { Orbit } from '../../../src/index.js';
import { createFakeClock, type FakeClock } from '../../support/fake-clock.js';
import { parsePrometheusText, type Scrape } from '../../support/prometheus-text.js';

function takes(clock: FakeClock, ms: number) {
  return () => clock.sleep(ms);
}

async function scrape(registry: Registry): Promise<Scrape> {
  return parsePrometheusText(await registry.metrics());
}

/**
 * Two pools on one metrics object. Pool `a` (using the metrics as its monitoring too): a
 * job that overruns its interval, one that fails out of its retries, one paused. Pool
 * `b`, one worker: a long job that makes a frequent one start late.
 */
async function busyPools(t = 450) {
  const clock = createFakeClock();
  const orbit = new Orbit({ clock });
  const registry = new Registry();
  const metrics = new PrometheusMetrics({ registry });
  const a = orbit.createPool({ id: 'a' }, metrics);
  const b = orbit.createPool({ id: 'b', maxWorkers: 1 });
  metrics.observe(a);
  metrics.observe(b);

  a.addJob({ id: 'long', fn: takes(clock, 250), interval: { time: 100 } });
  a.addJob({
    id: 'flaky',
    fn: () => Promise.reject(new Error('no')),
    interval: { time: 100 },
    retry: { active: true, count: 1 },
  });
  a.addJob({
    id: 'held',
    fn: async (ctrl) => {
      await clock.sleep(10);
      await ctrl.checkpoint();
    },
    interval: { time: '1h' },
  });
  b.addJob({ id: 'hog', fn: takes(clock, 250), interval: { time: '1h' } });
  b.addJob({ id: 'late', fn: () => undefined, interval: { time: 100 } });
  a.run();
  b.run();
  await clock.flush();
  a.pauseJob('held', '1h');
  await clock.tick(t);
  return { clock, registry, metrics, a, b };
}

describe('PrometheusMetrics', () => {
  it('counts runs by job and outcome, with retries and jobs that ended', async () => {
    const { registry } = await busyPools();
    const text = await scrape(registry);

    expect(text.types.orbit_runs_total).toBe('counter');
    expect(text.value('orbit_runs_total', { pool: 'a', job: 'long', outcome: 'success' })).toBe(1);
    expect(text.value('orbit_runs_total', { pool: 'a', job: 'flaky', outcome: 'failure' })).toBe(2);
    expect(text.value('orbit_runs_total', { pool: 'b', job: 'late', outcome: 'success' })).toBe(3);
    expect(text.value('orbit_retries_total', { pool: 'a', job: 'flaky' })).toBe(1);
    expect(text.value('orbit_jobs_ended_total', { pool: 'a', reason: 'failed' })).toBe(1);
  });

  it('times runs in a histogram of seconds', async () => {
    const { registry } = await busyPools();
    const text = await scrape(registry);
    const hog = { pool: 'b', job: 'hog', outcome: 'success' };

    expect(text.types.orbit_run_duration_seconds).toBe('histogram');
    expect(text.value('orbit_run_duration_seconds_sum', hog)).toBe(0.25);
    expect(text.value('orbit_run_duration_seconds_count', hog)).toBe(1);
    expect(text.value('orbit_run_duration_seconds_bucket', { ...hog, le: '0.1' })).toBe(0);
    expect(text.value('orbit_run_duration_seconds_bucket', { ...hog, le: '0.5' })).toBe(1);
    expect(text.value('orbit_run_duration_seconds_bucket', { ...hog, le: '+Inf' })).toBe(1);
  });

  it('measures how late runs start, and counts the due instants missed meanwhile', async () => {
    const { registry } = await busyPools();
    const text = await scrape(registry);
    const late = { pool: 'b', job: 'late' };

    expect(text.value('orbit_run_lateness_seconds_count', late)).toBe(3);
    expect(text.value('orbit_run_lateness_seconds_sum', late)).toBe(0.25);
    expect(text.value('orbit_run_lateness_seconds_bucket', { ...late, le: '0.1' })).toBe(2);
    expect(text.value('orbit_run_lateness_seconds_bucket', { ...late, le: '0.5' })).toBe(3);
    expect(text.value('orbit_missed_ticks_total', { ...late, reason: 'late' })).toBe(2);
  });

  it('counts due instants skipped while the previous run was going', async () => {
    const { registry } = await busyPools(610);
    const text = await scrape(registry);

    // Runs at 0 and 300 lasted 250 ms each: 100, 200, 400 and 500 fell due meanwhile.
    expect(text.value('orbit_skipped_ticks_total', { pool: 'a', job: 'long' })).toBe(4);
  });

  it('shows how many jobs are running and paused in each pool', async () => {
    const { registry, clock, a } = await busyPools();
    let text = await scrape(registry);

    expect(text.types.orbit_jobs_running).toBe('gauge');
    expect(text.value('orbit_jobs_running', { pool: 'a' })).toBe(1);
    expect(text.value('orbit_jobs_paused', { pool: 'a' })).toBe(1);
    expect(text.value('orbit_jobs_running', { pool: 'b' })).toBe(0);

    a.resumeJob('held');
    a.stopJob('long');
    await clock.flush();
    text = await scrape(registry);
    expect(text.value('orbit_jobs_paused', { pool: 'a' })).toBe(0);
    expect(text.value('orbit_jobs_running', { pool: 'a' })).toBe(0);
  });

  it("shows a running job's execution time when it is the pool's monitoring", async () => {
    const { registry, metrics } = await busyPools();
    const text = await scrape(registry);

    expect(text.value('orbit_job_execution_seconds', { job: 'long' })).toBe(0.1);
    expect(metrics.getMetrics().long?.status).toBe('running');
  });

  it('drops the job label when asked, and stops counting once detached', async () => {
    const clock = createFakeClock();
    const registry = new Registry();
    const metrics = new PrometheusMetrics({ registry, jobLabel: false, prefix: 'sched_' });
    const pool = new Orbit({ clock }).createPool({ id: 'p' });
    const detach = metrics.observe(pool);
    pool.addJob({ id: 'x', fn: () => undefined, interval: { time: 100 } });
    pool.run();
    await clock.tick(150);
    detach();
    await clock.tick(1_000);
    const text = await scrape(registry);

    expect(text.value('sched_runs_total', { pool: 'p', outcome: 'success' })).toBe(2);
    expect(text.samples.some((sample) => 'job' in sample.labels)).toBe(false);
  });

  it('refuses a second instance on the same registry and prefix with INVALID_CONFIG', () => {
    const registry = new Registry();
    new PrometheusMetrics({ registry });

    expect(() => new PrometheusMetrics({ registry })).toThrow(
      /use one PrometheusMetrics per registry/,
    );
    expect(() => new PrometheusMetrics({ registry, prefix: 'other_' })).not.toThrow();
    expect(() => new PrometheusMetrics({ registry, prefix: 'bad prefix' })).toThrow(
      /prefix must be a metric name prefix/,
    );
    expect(() => new PrometheusMetrics({ registry, durationBuckets: [1, 0.5] })).toThrow(
      /durationBuckets must be increasing positive numbers/,
    );
  });
});
