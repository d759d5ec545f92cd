import { describe, expect, it } from 'vitest';
import type { DashboardSnapshot, DashboardUpdate, JobView } from '../../src/dashboard/index.js';
import type { JobControl } from '../../src/index.js';
import { createHarness, intervalJob, stateOf } from '../support/harness.js';
import { httpRequest, openEventStream } from '../support/http-client.js';
import { ControlCapture } from '../support/job-fns.js';
import { control, jobOf, openDashboard } from './support.js';

/** A pool on a fake clock with a job that runs until stopped, taking checkpoints. */
async function poolWithRunningJob() {
  const harness = createHarness({ pool: { id: 'reports' } });
  const { clock, pool } = harness;
  const stepper = async (ctrl: JobControl) => {
    for (let step = 1; !ctrl.signal.aborted; step++) {
      await clock.sleep(100);
      ctrl.saveData({ step });
      await ctrl.checkpoint();
    }
  };
  pool.addJob(intervalJob('import', stepper, '1h'));
  pool.addJob(intervalJob('report', () => undefined, '1h'));
  pool.run();
  await clock.tick(250);

  return harness;
}

function jobIn(snapshot: DashboardSnapshot, poolId: string, jobId: string): JobView | undefined {
  return snapshot.pools.find((pool) => pool.id === poolId)?.jobs.find((job) => job.id === jobId);
}

describe('the dashboard API', () => {
  it('lists every pool with its jobs, statuses, next runs, counts and data', async () => {
    const { pool, t0 } = await poolWithRunningJob();
    const dashboard = await openDashboard({ pools: [pool] });

    const answer = await httpRequest(`${dashboard.url}api/pools`);
    const snapshot = answer.json() as DashboardSnapshot;

    expect(answer.status).toBe(200);
    expect(answer.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(snapshot.pools.map((shown) => [shown.id, shown.running])).toEqual([['reports', true]]);
    expect(jobIn(snapshot, 'reports', 'import')).toMatchObject({
      status: 'running',
      lastRun: { outcome: 'running', startedAt: new Date(t0).toISOString(), endedAt: null },
      data: JSON.stringify({ step: 2 }, null, 2),
    });
    expect(jobIn(snapshot, 'reports', 'report')).toMatchObject({
      status: 'waiting',
      nextRunAt: new Date(t0 + 3_600_000).toISOString(),
      lastRun: { outcome: 'succeeded', durationMs: 0, error: null },
      success: 1,
      failure: 0,
    });
  });

  it('pauses a running job and answers with its new state', async () => {
    const { pool } = await poolWithRunningJob();
    const dashboard = await openDashboard({ pools: [pool] });

    const answer = await control(dashboard, 'reports', 'import', 'pause');

    expect(answer.status).toBe(200);
    expect(jobOf(answer).status).toBe('paused');
    expect(stateOf(pool, 'import').status).toBe('paused');
  });

  it('says a pause waits for a checkpoint, and a run that never reaches one goes on', async () => {
    const { clock, pool } = createHarness({ pool: { id: 'reports' } });
    pool.addJob(intervalJob('busy', () => clock.sleep(60_000), '1h'));
    pool.run();
    await clock.tick(10);
    const dashboard = await openDashboard({ pools: [pool], pauseTimeout: '2s' });

    const answer = await control(dashboard, 'reports', 'busy', 'pause');
    await clock.tick(2_000);

    expect(answer.status).toBe(200);
    expect(answer.json()).toMatchObject({
      job: { status: 'paused' },
      note:
        'pause requested: it takes effect when the run reaches checkpoint(); a run that ' +
        'reaches none within 2.0s goes on, and the pause is withdrawn',
    });
    expect(stateOf(pool, 'busy').status).toBe('running');
  });

  it('gives a pause the configured time to reach a checkpoint', async () => {
    const { clock, pool } = createHarness({ pool: { id: 'reports' } });
    const capture = new ControlCapture();
    pool.addJob(intervalJob('import', capture.fn, '1h'));
    pool.run();
    await clock.flush();
    const dashboard = await openDashboard({ pools: [pool], pauseTimeout: '30s' });

    await control(dashboard, 'reports', 'import', 'pause');
    await clock.tick(29_000);
    const pausedAfter29s = stateOf(pool, 'import').status;
    await clock.tick(2_000);

    expect(pausedAfter29s).toBe('paused');
    expect(stateOf(pool, 'import').status).toBe('running');
  });

  it('resumes a paused job', async () => {
    const { pool } = await poolWithRunningJob();
    const dashboard = await openDashboard({ pools: [pool] });
    await control(dashboard, 'reports', 'import', 'pause');

    const answer = await control(dashboard, 'reports', 'import', 'resume');

    expect(answer.status).toBe(200);
    expect(jobOf(answer).status).toBe('running');
  });

  it('stops a job, and the job runs no more', async () => {
    const { clock, pool } = await poolWithRunningJob();
    const dashboard = await openDashboard({ pools: [pool] });

    const answer = await control(dashboard, 'reports', 'import', 'stop');
    await clock.tick(2 * 3_600_000);

    expect(jobOf(answer).status).toBe('stopped');
    expect(stateOf(pool, 'import')).toMatchObject({ status: 'stopped', success: 0 });
  });

  it('runs a waiting job now', async () => {
    const { clock, pool } = await poolWithRunningJob();
    const dashboard = await openDashboard({ pools: [pool] });

    const answer = await control(dashboard, 'reports', 'report', 'run');
    await clock.flush();

    expect(answer.status).toBe(200);
    expect(jobOf(answer).nextRunAt).toBe(new Date(clock.now()).toISOString());
    expect(stateOf(pool, 'report').success).toBe(2);
  });

  it.each([
    ['pause', 'report', 'JOB_NOT_RUNNING'],
    ['resume', 'report', 'JOB_NOT_PAUSED_OR_STOPPED'],
    ['run', 'import', 'JOB_ALREADY_RUNNING'],
  ])('refuses %s of job %s with 409 %s', async (action, jobId, code) => {
    const { pool } = await poolWithRunningJob();
    const dashboard = await openDashboard({ pools: [pool] });

    const answer = await control(dashboard, 'reports', jobId, action);

    expect(answer.status).toBe(409);
    expect(answer.json()).toEqual({ code, message: expect.stringContaining(jobId) as string });
  });

  it('refuses to pause a paused job with 409 JOB_ALREADY_PAUSED', async () => {
    const { pool } = await poolWithRunningJob();
    const dashboard = await openDashboard({ pools: [pool] });
    await control(dashboard, 'reports', 'import', 'pause');

    const answer = await control(dashboard, 'reports', 'import', 'pause');

    expect(answer.problem()).toEqual([409, 'JOB_ALREADY_PAUSED']);
  });

  it('refuses to run a stopped job with 409 JOB_NOT_RUNNABLE', async () => {
    const { pool } = await poolWithRunningJob();
    const dashboard = await openDashboard({ pools: [pool] });
    await control(dashboard, 'reports', 'report', 'stop');

    const answer = await control(dashboard, 'reports', 'report', 'run');

    expect(answer.problem()).toEqual([409, 'JOB_NOT_RUNNABLE']);
  });

  it('answers 404 JOB_NOT_FOUND for a job the pool does not have', async () => {
    const { pool } = await poolWithRunningJob();
    const dashboard = await openDashboard({ pools: [pool] });

    const answer = await control(dashboard, 'reports', 'missing', 'stop');

    expect(answer.problem()).toEqual([404, 'JOB_NOT_FOUND']);
  });

  it('answers 404 POOL_NOT_FOUND for a pool the dashboard does not show', async () => {
    const { pool } = await poolWithRunningJob();
    const dashboard = await openDashboard({ pools: [pool] });

    const answer = await control(dashboard, 'elsewhere', 'import', 'stop');

    expect(answer.problem()).toEqual([404, 'POOL_NOT_FOUND']);
  });

  it.each(['api/pools/reports/jobs/import/explode', 'api/nothing', 'assets/secret.txt'])(
    'answers 404 NOT_FOUND for %s',
    async (path) => {
      const { pool } = await poolWithRunningJob();
      const dashboard = await openDashboard({ pools: [pool] });

      const answer = await httpRequest(`${dashboard.url}${path}`, {
        method: path.startsWith('api/pools/') ? 'POST' : 'GET',
        headers: { 'X-Orbit-Dashboard': '1' },
      });

      expect(answer.problem()).toEqual([404, 'NOT_FOUND']);
    },
  );

  it('answers 405 with the allowed methods for a route used with another method', async () => {
    const { pool } = await poolWithRunningJob();
    const dashboard = await openDashboard({ pools: [pool] });

    const answer = await httpRequest(`${dashboard.url}api/pools/reports/jobs/import/stop`);

    expect(answer.problem()).toEqual([405, 'METHOD_NOT_ALLOWED']);
    expect(answer.headers.allow).toBe('POST');
    expect(stateOf(pool, 'import').status).toBe('running');
  });

  it('answers 400 BAD_REQUEST for a path that is not valid percent-encoding', async () => {
    const { pool } = await poolWithRunningJob();
    const dashboard = await openDashboard({ pools: [pool] });

    const answer = await httpRequest(`${dashboard.url}api/pools/reports/jobs/%E0%A4%A/stop`, {
      method: 'POST',
      headers: { 'X-Orbit-Dashboard': '1' },
    });

    expect(answer.problem()).toEqual([400, 'BAD_REQUEST']);
  });

  it('controls a job whose id is . or .. through the query form of an action', async () => {
    const { clock, pool } = createHarness({ pool: { id: '.' } });
    pool.addJob(intervalJob('..', () => undefined, '1h'));
    pool.addJob(intervalJob('.', () => undefined, '1h'));
    pool.run();
    await clock.flush();
    const dashboard = await openDashboard({ pools: [pool] });
    const act = (jobId: string, action: string) => {
      const query = new URLSearchParams({ pool: '.', job: jobId });
      return httpRequest(`${dashboard.url}api/actions/${action}?${query.toString()}`, {
        method: 'POST',
        headers: { 'X-Orbit-Dashboard': '1' },
      });
    };

    const stopped = await act('..', 'stop');
    const stoppedToo = await act('.', 'stop');
    const withoutJob = await httpRequest(`${dashboard.url}api/actions/stop?pool=.`, {
      method: 'POST',
      headers: { 'X-Orbit-Dashboard': '1' },
    });

    expect(stopped.status).toBe(200);
    expect(jobOf(stopped).id).toBe('..');
    expect(stoppedToo.status).toBe(200);
    expect(stateOf(pool, '..').status).toBe('stopped');
    expect(stateOf(pool, '.').status).toBe('stopped');
    expect(withoutJob.problem()).toEqual([400, 'BAD_REQUEST']);
  });

  it('reaches jobs whose ids hold slashes, spaces and other scripts', async () => {
    const { clock, pool } = createHarness({ pool: { id: 'pool/α' } });
    const capture = new ControlCapture();
    pool.addJob(intervalJob('nightly/export été', capture.fn, '1h'));
    pool.run();
    await clock.flush();
    const dashboard = await openDashboard({ pools: [pool] });

    const answer = await control(dashboard, 'pool/α', 'nightly/export été', 'stop');

    expect(answer.status).toBe(200);
    expect(stateOf(pool, 'nightly/export été').status).toBe('stopped');
  });

  it('shows a failed last run with its error, and counts it', async () => {
    const { clock, pool } = createHarness({ pool: { id: 'reports' } });
    const failing = () => {
      throw new Error('upstream answered 503');
    };
    pool.addJob(intervalJob('sync', failing, '1m', { retry: { active: true, count: 0 } }));
    pool.run();
    await clock.flush();
    const dashboard = await openDashboard({ pools: [pool] });

    const snapshot = (await httpRequest(`${dashboard.url}api/pools`)).json() as DashboardSnapshot;

    expect(jobIn(snapshot, 'reports', 'sync')).toMatchObject({
      failure: 1,
      lastRun: {
        outcome: 'failed',
        error: { code: 'JOB_EXECUTION', message: expect.stringContaining('503') as string },
      },
    });
  });
});

describe('the dashboard event stream', () => {
  it('sends a snapshot first, then what a control call changed', async () => {
    const { pool } = await poolWithRunningJob();
    const dashboard = await openDashboard({ pools: [pool] });
    const stream = await openEventStream(`${dashboard.url}events`);

    const snapshot = (await stream.next('snapshot')) as DashboardSnapshot;
    await control(dashboard, 'reports', 'import', 'pause');
    const update = (await stream.next('update')) as DashboardUpdate;
    stream.close();

    expect(stream.status).toBe(200);
    expect(jobIn(snapshot, 'reports', 'import')?.status).toBe('running');
    expect(update.pools).toHaveLength(1);
    expect(update.pools[0]?.jobs.map((job) => [job.id, job.status])).toEqual([
      ['import', 'paused'],
    ]);
  });

  it('streams the start and end of runs as they happen, with their durations', async () => {
    const { clock, pool } = createHarness({ pool: { id: 'reports' } });
    pool.addJob(intervalJob('tick', () => clock.sleep(300), '1s'));
    const dashboard = await openDashboard({ pools: [pool] });
    const stream = await openEventStream(`${dashboard.url}events`);
    await stream.next('snapshot');
    const statusIs = (status: string) => (data: unknown) =>
      (data as DashboardUpdate).pools[0]?.jobs[0]?.status === status;

    pool.run();
    await clock.tick(2_100);
    const started = (await stream.next('update', statusIs('running'))) as DashboardUpdate;
    await clock.tick(300);
    const ended = (await stream.next('update', statusIs('waiting'))) as DashboardUpdate;
    stream.close();

    expect(started.pools[0]?.jobs[0]?.success).toBe(2);
    const tick = ended.pools[0]?.jobs[0];
    expect(tick?.success).toBe(3);
    expect(tick?.recentRuns).toEqual(
      Array.from({ length: 3 }, () => ({ durationMs: 300, failed: false })),
    );
  });

  it('sends only the jobs that changed', async () => {
    const { pool } = await poolWithRunningJob();
    const dashboard = await openDashboard({ pools: [pool] });
    const stream = await openEventStream(`${dashboard.url}events`);
    await stream.next('snapshot');

    await control(dashboard, 'reports', 'report', 'stop');
    const update = (await stream.next('update')) as DashboardUpdate;
    stream.close();

    expect(update.pools[0]?.jobs.map((job) => job.id)).toEqual(['report']);
  });

  it('shows a killed pool as not running, with every job stopped', async () => {
    const { clock, pool } = await poolWithRunningJob();
    const dashboard = await openDashboard({ pools: [pool] });
    const stream = await openEventStream(`${dashboard.url}events`);
    await stream.next('snapshot');

    const killed = pool.kill({ timeout: 0 });
    await clock.flush();
    await killed;
    const update = (await stream.next('update', (data) => {
      return (data as DashboardUpdate).pools.some((shown) => shown.complete);
    })) as DashboardUpdate;
    stream.close();

    const shown = update.pools[0];
    expect(shown?.running).toBe(false);
    expect(shown?.jobs.map((job) => [job.id, job.status])).toEqual([
      ['import', 'stopped'],
      ['report', 'stopped'],
    ]);
  });

  it('ends its streams and stops answering when closed', async () => {
    const { pool } = await poolWithRunningJob();
    const dashboard = await openDashboard({ pools: [pool] });
    const stream = await openEventStream(`${dashboard.url}events`);
    await stream.next('snapshot');

    await dashboard.close();

    await expect(stream.ended).resolves.toBeUndefined();
    await expect(httpRequest(`${dashboard.url}api/pools`)).rejects.toThrow(/ECONNREFUSED/);
  });
});
