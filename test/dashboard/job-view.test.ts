import { describe, expect, it } from 'vitest';
import { toJobView } from '../../src/dashboard/job-view.js';
import { JobRuns } from '../../src/dashboard/run-history.js';
import { OrbitError } from '../../src/index.js';

const STARTED = new Date('2026-01-01T10:00:00Z');
const ENDED = new Date('2026-01-01T10:00:02Z');

describe('toJobView', () => {
  it('reads a state that a custom monitoring got wrong without throwing', () => {
    const view = toJobView('job', { status: 7, startAt: 'yesterday', data: [1] }, undefined);

    expect(view).toMatchObject({
      id: 'job',
      name: 'job',
      status: 'unknown',
      lastRun: null,
      success: 0,
      data: '{}',
    });
  });

  it('tells a stopped run from a success when it saw the run end', () => {
    const runs = new JobRuns();
    runs.latest = {
      startedAtMs: STARTED.getTime(),
      outcome: 'stopped',
      durationMs: undefined,
      error: undefined,
    };
    const state = { status: 'waiting', startAt: STARTED, endAt: ENDED, error: { hookError: {} } };

    expect(toJobView('job', state, runs).lastRun).toMatchObject({
      outcome: 'stopped',
      durationMs: 2_000,
    });
  });

  it('guesses from the state alone for runs it did not see', () => {
    const failed = new OrbitError('JOB_EXECUTION', 'boom', { jobId: 'job' });
    const ended = { status: 'waiting', startAt: STARTED, endAt: ENDED };

    expect(toJobView('job', ended, undefined).lastRun?.outcome).toBe('succeeded');
    expect(
      toJobView('job', { ...ended, error: { jobError: failed, hookError: {} } }, undefined).lastRun,
    ).toMatchObject({ outcome: 'failed', error: { code: 'JOB_EXECUTION', message: 'boom' } });
    expect(toJobView('job', { ...ended, status: 'stopped' }, undefined).lastRun?.outcome).toBe(
      null,
    );
  });
});
