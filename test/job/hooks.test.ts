import { describe, expect, it } from 'vitest';
import {
  JobStatus,
  type HookFn,
  type HookName,
  type JobControl,
  type JobHooks,
  type OrbitError,
} from '../../src/index.js';
import type { FakeClock } from '../support/fake-clock.js';
import { expectCode } from '../support/expect-error.js';
import { createHarness, intervalJob, stateOf } from '../support/harness.js';
import { throwValue, untilAborted } from '../support/job-fns.js';

const ALL_HOOKS: HookName[] = [
  'onStart',
  'onSuccess',
  'onError',
  'finally',
  'onPause',
  'onResume',
  'onStop',
];

/** Hooks that each take 10 ms of fake time and then log their name. */
function loggingHooks(clock: FakeClock, log: string[], overrides: JobHooks = {}): JobHooks {
  const hooks: JobHooks = {};
  for (const name of ALL_HOOKS) {
    hooks[name] = {
      fn: async () => {
        await clock.sleep(10);
        log.push(name);
      },
    };
  }

  return { ...hooks, ...overrides };
}

/** A hook that records the arguments it was called with. */
function spyHook(calls: { ctrl: JobControl; error: OrbitError | undefined }[]): { fn: HookFn } {
  return { fn: (ctrl, error) => calls.push({ ctrl, error }) };
}

/** A hook that throws `value`; the job keeps failing runs so it is retried for ever. */
function failingHook(value: unknown, ignoreError?: boolean) {
  return { fn: () => throwValue(value), ...(ignoreError === undefined ? {} : { ignoreError }) };
}

const FOREVER = { active: true, count: 0 } as const;

describe('hooks', () => {
  it('fire onStart, the job, onSuccess and finally in that order around a good run', async () => {
    const { clock, pool } = createHarness();
    const log: string[] = [];

    pool.addJob(
      intervalJob(
        'job',
        async () => {
          log.push('fn');
          await clock.sleep(10);
        },
        '1h',
        { hooks: loggingHooks(clock, log) },
      ),
    );
    pool.run();
    await clock.tick(1_000);

    expect(log).toEqual(['onStart', 'fn', 'onSuccess', 'finally']);
  });

  it('fire onStart, the job, onError and finally in that order around a failed run', async () => {
    const { clock, pool } = createHarness();
    const log: string[] = [];

    pool.addJob(
      intervalJob(
        'job',
        async () => {
          log.push('fn');
          await clock.sleep(10);
          throw new Error('sync failed');
        },
        '1h',
        { hooks: loggingHooks(clock, log) },
      ),
    );
    pool.run();
    await clock.tick(1_000);

    expect(log).toEqual(['onStart', 'fn', 'onError', 'finally']);
  });

  it('give onError and finally the run error, the same object as error.jobError', async () => {
    const { clock, pool } = createHarness();
    const thrown = new Error('sync failed');
    const onError: { ctrl: JobControl; error: OrbitError | undefined }[] = [];
    const onFinally: { ctrl: JobControl; error: OrbitError | undefined }[] = [];

    pool.addJob(
      intervalJob('job', () => throwValue(thrown), '1h', {
        retry: FOREVER,
        hooks: { onError: spyHook(onError), finally: spyHook(onFinally) },
      }),
    );
    pool.run();
    await clock.flush();

    const jobError = stateOf(pool, 'job').error.jobError;
    const error = expectCode(onError[0]?.error, 'JOB_EXECUTION');
    expect(error.cause).toBe(thrown);
    expect(error.jobId).toBe('job');
    expect(error).toBe(jobError);
    expect(onFinally[0]?.error).toBe(jobError);
  });

  it('give finally no error after a good run', async () => {
    const { clock, pool } = createHarness();
    const onFinally: { ctrl: JobControl; error: OrbitError | undefined }[] = [];

    pool.addJob(
      intervalJob('job', () => undefined, '1h', { hooks: { finally: spyHook(onFinally) } }),
    );
    pool.run();
    await clock.flush();

    expect(onFinally).toHaveLength(1);
    expect(onFinally[0]?.error).toBeUndefined();
  });

  it('give every hook the control of the run', async () => {
    const { clock, pool } = createHarness();
    const onStart: { ctrl: JobControl; error: OrbitError | undefined }[] = [];
    let jobCtrl: JobControl | undefined;

    pool.addJob(
      intervalJob(
        'job',
        (ctrl) => {
          jobCtrl = ctrl;
        },
        '1h',
        { hooks: { onStart: spyHook(onStart) } },
      ),
    );
    pool.run();
    await clock.flush();

    expect(onStart[0]?.ctrl.jobId).toBe('job');
    expect(onStart[0]?.ctrl.scheduledAt).toEqual(jobCtrl?.scheduledAt);
    expect(onStart[0]?.ctrl.signal).toBe(jobCtrl?.signal);
  });

  it('fire onPause, onResume and onStop on the control calls', async () => {
    const { clock, pool } = createHarness();
    const log: string[] = [];

    pool.addJob(intervalJob('job', untilAborted, '1h', { hooks: loggingHooks(clock, log) }));
    pool.run();
    await clock.tick(100);
    log.length = 0;
    pool.pauseJob('job', '10s');
    await clock.tick(100);
    pool.resumeJob('job');
    await clock.tick(100);
    pool.stopJob('job');
    await clock.tick(100);

    expect(log.filter((name) => ['onPause', 'onResume', 'onStop'].includes(name))).toEqual([
      'onPause',
      'onResume',
      'onStop',
    ]);
  });

  describe('a hook that throws', () => {
    it('is recorded under error.hookError with HOOK_FAILED and what it threw as cause', async () => {
      const { clock, pool } = createHarness();
      const thrown = new Error('cannot log');

      pool.addJob(
        intervalJob('job', () => undefined, '1h', {
          hooks: { onSuccess: failingHook(thrown, true) },
        }),
      );
      pool.run();
      await clock.flush();

      const hookError = expectCode(stateOf(pool, 'job').error.hookError.onSuccess, 'HOOK_FAILED');
      expect(hookError.cause).toBe(thrown);
      expect(hookError.jobId).toBe('job');
    });

    it('counts a rejection like a throw', async () => {
      const { clock, pool } = createHarness();
      const thrown = new Error('cannot log');

      pool.addJob(
        intervalJob('job', () => undefined, '1h', {
          retry: FOREVER,
          hooks: { onStart: { fn: () => Promise.reject(thrown) } },
        }),
      );
      pool.run();
      await clock.flush();

      expect(stateOf(pool, 'job').error.hookError.onStart?.cause).toBe(thrown);
      expect(stateOf(pool, 'job').failure).toBe(1);
    });

    it('keeps what a hook throws as cause, even a string or undefined', async () => {
      const { clock, pool } = createHarness();

      pool.addJob(
        intervalJob('job', () => undefined, '1h', {
          hooks: {
            onStart: failingHook('plain string', true),
            onSuccess: failingHook(undefined, true),
            finally: failingHook({ reason: 42 }, true),
          },
        }),
      );
      pool.run();
      await clock.flush();

      const { hookError } = stateOf(pool, 'job').error;
      expect(expectCode(hookError.onStart, 'HOOK_FAILED').cause).toBe('plain string');
      expect(expectCode(hookError.onSuccess, 'HOOK_FAILED').cause).toBeUndefined();
      expect(expectCode(hookError.finally, 'HOOK_FAILED').cause).toEqual({ reason: 42 });
      expect(stateOf(pool, 'job').success).toBe(1);
    });

    it('fails the run without calling the job when it is onStart', async () => {
      const { clock, pool } = createHarness();
      let fnCalls = 0;

      pool.addJob(
        intervalJob('job', () => (fnCalls += 1), '1h', {
          retry: FOREVER,
          hooks: { onStart: failingHook(new Error('no connection')) },
        }),
      );
      pool.run();
      await clock.flush();

      const state = stateOf(pool, 'job');
      expect(fnCalls).toBe(0);
      expect(state.failure).toBe(1);
      expect(state.success).toBe(0);
      expectCode(state.error.hookError.onStart, 'HOOK_FAILED');
    });

    it('is only recorded when it is onStart with ignoreError, and the job runs', async () => {
      const { clock, pool } = createHarness();
      let fnCalls = 0;

      pool.addJob(
        intervalJob('job', () => (fnCalls += 1), '1h', {
          hooks: { onStart: failingHook(new Error('no connection'), true) },
        }),
      );
      pool.run();
      await clock.flush();

      expect(fnCalls).toBe(1);
      expect(stateOf(pool, 'job').success).toBe(1);
      expect(stateOf(pool, 'job').failure).toBe(0);
      expectCode(stateOf(pool, 'job').error.hookError.onStart, 'HOOK_FAILED');
    });

    it.each(['onSuccess', 'finally'] as const)('fails a good run when it is %s', async (name) => {
      const { clock, pool } = createHarness();

      pool.addJob(
        intervalJob('job', () => undefined, '1h', {
          retry: FOREVER,
          hooks: { [name]: failingHook(new Error('audit down')) },
        }),
      );
      pool.run();
      await clock.flush();

      const state = stateOf(pool, 'job');
      expect(state.failure).toBe(1);
      expect(state.success).toBe(0);
      expectCode(state.error.hookError[name], 'HOOK_FAILED');
    });

    it.each(['onSuccess', 'finally'] as const)(
      'leaves a good run good when it is %s with ignoreError',
      async (name) => {
        const { clock, pool } = createHarness();

        pool.addJob(
          intervalJob('job', () => undefined, '1h', {
            hooks: { [name]: failingHook(new Error('audit down'), true) },
          }),
        );
        pool.run();
        await clock.flush();

        const state = stateOf(pool, 'job');
        expect(state.success).toBe(1);
        expect(state.failure).toBe(0);
        expect(state.status).toBe(JobStatus.Waiting);
        expectCode(state.error.hookError[name], 'HOOK_FAILED');
      },
    );

    it('still lets finally run when it is onError', async () => {
      const { clock, pool } = createHarness();
      let finallyCalls = 0;

      pool.addJob(
        intervalJob('job', () => throwValue(new Error('job failed')), '1h', {
          retry: FOREVER,
          hooks: {
            onError: failingHook(new Error('alert down')),
            finally: { fn: () => (finallyCalls += 1) },
          },
        }),
      );
      pool.run();
      await clock.flush();

      const state = stateOf(pool, 'job');
      expect(finallyCalls).toBe(1);
      expect(state.failure).toBe(1);
      expectCode(state.error.jobError, 'JOB_EXECUTION');
      expectCode(state.error.hookError.onError, 'HOOK_FAILED');
    });

    it.each(['onPause', 'onResume', 'onStop'] as const)(
      'does not stop the control call when it is %s',
      async (name) => {
        const { clock, pool } = createHarness();
        pool.addJob(
          intervalJob('job', untilAborted, '1h', { hooks: { [name]: failingHook('hook broke') } }),
        );
        pool.run();
        await clock.flush();

        pool.pauseJob('job', '10s');
        expect(stateOf(pool, 'job').status).toBe(JobStatus.Paused);
        pool.resumeJob('job');
        expect(stateOf(pool, 'job').status).toBe(JobStatus.Running);
        pool.stopJob('job');
        expect(stateOf(pool, 'job').status).toBe(JobStatus.Stopped);
        await clock.flush();

        const hookError = expectCode(stateOf(pool, 'job').error.hookError[name], 'HOOK_FAILED');
        expect(hookError.cause).toBe('hook broke');
      },
    );

    it('does not disturb the other jobs of the pool', async () => {
      const { clock, pool } = createHarness();
      let healthyRuns = 0;
      const allFailing: JobHooks = Object.fromEntries(
        ALL_HOOKS.map((name) => [name, failingHook(undefined)]),
      );

      pool.addJob(
        intervalJob('broken', () => undefined, '1s', { retry: FOREVER, hooks: allFailing }),
      );
      pool.addJob(intervalJob('healthy', () => (healthyRuns += 1), '1s'));
      pool.run();
      await clock.tick(5_000);

      expect(healthyRuns).toBe(6);
      expect(stateOf(pool, 'healthy').success).toBe(6);
      expect(stateOf(pool, 'broken').failure).toBe(6);
    });

    it('is forgotten when the next run starts', async () => {
      const { clock, pool } = createHarness();
      let onStartCalls = 0;
      const onStart = {
        fn: () => {
          onStartCalls += 1;
          if (onStartCalls === 1) throw new Error('first time only');
        },
        ignoreError: true,
      };

      pool.addJob(
        intervalJob('job', (ctrl) => clock.sleep(100).then(() => ctrl.jobId), '1s', {
          hooks: { onStart },
        }),
      );
      pool.run();
      await clock.tick(500);
      expectCode(stateOf(pool, 'job').error.hookError.onStart, 'HOOK_FAILED');
      await clock.tick(550);

      expect(stateOf(pool, 'job').status).toBe(JobStatus.Running);
      expect(stateOf(pool, 'job').error.hookError).toEqual({});
    });
  });
});
