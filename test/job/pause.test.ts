import { describe, expect, it } from 'vitest';
import { JobStatus, type HookName, type JobControl, type JobHooks } from '../../src/index.js';
import type { FakeClock } from '../support/fake-clock.js';
import { expectCode } from '../support/expect-error.js';
import { createHarness, intervalJob, stateOf } from '../support/harness.js';

/** Hooks that record onPause and onResume calls. */
function pauseHooks(calls: HookName[]): JobHooks {
  return {
    onPause: { fn: () => calls.push('onPause') },
    onResume: { fn: () => calls.push('onResume') },
  };
}

/** A job of ten 100 ms steps with a checkpoint after each; counts the steps done. */
function steppedJob(clock: FakeClock, progress: { steps: number; checkpoints: boolean[] }) {
  return async (ctrl: JobControl) => {
    for (let step = 0; step < 10; step += 1) {
      await clock.sleep(100);
      progress.steps += 1;
      progress.checkpoints.push(await ctrl.checkpoint());
    }
  };
}

/** A pool running one stepped job; returns once the job has started. */
async function steppedHarness() {
  const harness = createHarness();
  const progress = { steps: 0, checkpoints: [] as boolean[] };
  const calls: HookName[] = [];
  let ctrl: JobControl | undefined;
  const job = steppedJob(harness.clock, progress);
  harness.pool.addJob(
    intervalJob(
      'upload',
      (control) => {
        ctrl = control;
        return job(control);
      },
      '1h',
      { hooks: pauseHooks(calls) },
    ),
  );
  harness.pool.run();
  await harness.clock.flush();

  return { ...harness, progress, calls, ctrl: () => ctrl! };
}

describe('pause and resume', () => {
  it('resolves a checkpoint to false at once when no pause is asked for', async () => {
    const { clock, progress } = await steppedHarness();

    await clock.tick(1_000);

    expect(progress.steps).toBe(10);
    expect(progress.checkpoints).toEqual(Array<boolean>(10).fill(false));
  });

  it('asks for a pause: paused status, onPause, pauseRequested', async () => {
    const { clock, pool, calls, ctrl } = await steppedHarness();
    await clock.tick(250);

    pool.pauseJob('upload', '10s');

    expect(stateOf(pool, 'upload').status).toBe(JobStatus.Paused);
    expect(ctrl().pauseRequested).toBe(true);
    await clock.flush();
    expect(calls).toEqual(['onPause']);
  });

  it('holds the job at its next checkpoint until resumed', async () => {
    const { clock, pool, progress, ctrl } = await steppedHarness();
    await clock.tick(250);

    pool.pauseJob('upload', '10s');
    await clock.tick(60_000);

    expect(progress.steps).toBe(3);
    expect(ctrl().pauseRequested).toBe(false);
    expect(stateOf(pool, 'upload').status).toBe(JobStatus.Paused);
  });

  it('continues a paused job on resume: running, onResume, checkpoint true', async () => {
    const { clock, pool, progress, calls } = await steppedHarness();
    await clock.tick(250);
    pool.pauseJob('upload', '10s');
    await clock.tick(60_000);

    pool.resumeJob('upload');
    expect(stateOf(pool, 'upload').status).toBe(JobStatus.Running);
    await clock.tick(700);

    expect(calls).toEqual(['onPause', 'onResume']);
    expect(progress.checkpoints.slice(0, 4)).toEqual([false, false, true, false]);
    expect(progress.steps).toBe(10);
    expect(stateOf(pool, 'upload').success).toBe(1);
  });

  it('withdraws a pause the job does not take within the timeout, without onResume', async () => {
    const { clock, pool, t0 } = createHarness();
    const calls: HookName[] = [];
    let ctrl: JobControl | undefined;
    pool.addJob(
      intervalJob(
        'busy',
        (control) => {
          ctrl = control;
          return clock.sleep(5_000);
        },
        '1h',
        { hooks: pauseHooks(calls) },
      ),
    );
    pool.run();
    await clock.tick(100);

    pool.pauseJob('busy', '2s');
    await clock.tick(1_999);
    expect(stateOf(pool, 'busy').status).toBe(JobStatus.Paused);
    await clock.tick(1);

    expect(stateOf(pool, 'busy').status).toBe(JobStatus.Running);
    expect(ctrl?.pauseRequested).toBe(false);
    expect(calls).toEqual(['onPause']);
    await clock.tick(3_000);
    expect(stateOf(pool, 'busy').success).toBe(1);
    expect(stateOf(pool, 'busy').endAt).toEqual(new Date(t0 + 5_000));
  });

  it('withdraws an untaken pause after 1 second by default', async () => {
    const { clock, pool } = createHarness();
    pool.addJob(intervalJob('busy', () => clock.sleep(5_000), '1h'));
    pool.run();
    await clock.tick(100);

    pool.pauseJob('busy');
    await clock.tick(999);
    expect(stateOf(pool, 'busy').status).toBe(JobStatus.Paused);
    await clock.tick(1);

    expect(stateOf(pool, 'busy').status).toBe(JobStatus.Running);
  });

  it('lets a checkpoint reached after a withdrawn pause resolve false', async () => {
    const { clock, pool } = createHarness();
    const outcomes: boolean[] = [];
    pool.addJob(
      intervalJob(
        'late',
        async (ctrl) => {
          await clock.sleep(3_000);
          outcomes.push(await ctrl.checkpoint());
        },
        '1h',
      ),
    );
    pool.run();
    await clock.tick(100);

    pool.pauseJob('late', 1_000);
    await clock.tick(5_000);

    expect(outcomes).toEqual([false]);
    expect(stateOf(pool, 'late').success).toBe(1);
  });

  it('keeps a taken pause past the pause timeout', async () => {
    const { clock, pool, progress } = await steppedHarness();
    await clock.tick(250);

    pool.pauseJob('upload', 500);
    await clock.tick(10_000);

    expect(stateOf(pool, 'upload').status).toBe(JobStatus.Paused);
    expect(progress.steps).toBe(3);
  });

  it('resumes early, before the job reached its checkpoint', async () => {
    const { clock, pool, progress, calls, ctrl } = await steppedHarness();
    await clock.tick(250);

    pool.pauseJob('upload', '10s');
    pool.resumeJob('upload');

    expect(stateOf(pool, 'upload').status).toBe(JobStatus.Running);
    expect(ctrl().pauseRequested).toBe(false);
    await clock.tick(1_000);
    expect(progress.checkpoints).toEqual(Array<boolean>(10).fill(false));
    expect(calls).toEqual(['onPause', 'onResume']);
  });

  it('rejects the pending checkpoint with JOB_STOPPED when a paused job is stopped', async () => {
    const { clock, pool } = createHarness();
    let rejection: unknown;
    pool.addJob(
      intervalJob(
        'paused',
        async (ctrl) => {
          await clock.sleep(100);
          try {
            await ctrl.checkpoint();
          } catch (error) {
            rejection = error;
            throw error;
          }
        },
        '1h',
      ),
    );
    pool.run();
    await clock.flush();
    pool.pauseJob('paused', '10s');
    await clock.tick(200);

    pool.stopJob('paused');
    await clock.flush();

    expectCode(rejection, 'JOB_STOPPED');
    expect(stateOf(pool, 'paused').status).toBe(JobStatus.Stopped);
    expect(stateOf(pool, 'paused').failure).toBe(0);
  });

  it('can pause the same run again after a resume', async () => {
    const { clock, pool, progress, calls } = await steppedHarness();
    await clock.tick(250);
    pool.pauseJob('upload', '10s');
    await clock.tick(1_000);
    pool.resumeJob('upload');
    await clock.tick(250);

    pool.pauseJob('upload', '10s');
    await clock.tick(1_000);

    expect(progress.steps).toBe(6);
    expect(stateOf(pool, 'upload').status).toBe(JobStatus.Paused);
    expect(calls).toEqual(['onPause', 'onResume', 'onPause']);
  });
});
