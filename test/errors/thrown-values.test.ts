import { afterEach, describe, expect, it, vi } from 'vitest';
import { JobStatus } from '../../src/index.js';
import { expectCode } from '../support/expect-error.js';
import { createHarness, intervalJob, stateOf } from '../support/harness.js';
import { RunRecorder, throwValue } from '../support/job-fns.js';

const FOREVER = { active: true, count: 0 } as const;

const thrownValues: [string, unknown][] = [
  ['an Error', new Error('disk full')],
  ['a string', 'disk full'],
  ['undefined', undefined],
  ['null', null],
  ['a number', 42],
  ['a plain object', { code: 'EFULL' }],
  ['an object without a prototype', Object.create(null) as object],
  ['an Error without a message', new TypeError()],
  ['an Error whose message throws when read', errorWithThrowingMessage()],
  ['a Proxy whose prototype cannot be read', proxyThatThrows()],
];

function errorWithThrowingMessage(): Error {
  const error = new Error('hidden');
  Object.defineProperty(error, 'message', {
    get() {
      throw new Error('no message for you');
    },
  });
  return error;
}

function proxyThatThrows(): object {
  return new Proxy(
    {},
    {
      getPrototypeOf() {
        throw new Error('no prototype for you');
      },
      get() {
        throw new Error('no property for you');
      },
    },
  );
}

describe('values thrown by jobs', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it.each(thrownValues)('wraps %s thrown synchronously in JOB_EXECUTION', async (_label, value) => {
    const { clock, pool } = createHarness();

    pool.addJob(intervalJob('job', () => throwValue(value), '1s', { retry: FOREVER }));
    pool.run();
    await clock.flush();

    const error = expectCode(stateOf(pool, 'job').error.jobError, 'JOB_EXECUTION');
    expect(error.cause).toBe(value);
    expect(error.jobId).toBe('job');
    expect(typeof error.message).toBe('string');
    expect(stateOf(pool, 'job').failure).toBe(1);
  });

  it.each(thrownValues)(
    'wraps %s rejected asynchronously in JOB_EXECUTION',
    async (_label, value) => {
      const { clock, pool } = createHarness();

      pool.addJob(
        intervalJob(
          'job',
          async () => {
            await clock.sleep(10);
            throwValue(value);
          },
          '1s',
          { retry: FOREVER },
        ),
      );
      pool.run();
      await clock.tick(10);

      const error = expectCode(stateOf(pool, 'job').error.jobError, 'JOB_EXECUTION');
      expect(error.cause).toBe(value);
    },
  );

  it('says in the message what an Error job threw', async () => {
    const { clock, pool } = createHarness();

    pool.addJob(intervalJob('job', () => throwValue(new Error('disk full')), '1s'));
    pool.run();
    await clock.flush();

    expect(stateOf(pool, 'job').error.jobError?.message).toContain('disk full');
  });

  it('keeps the other jobs of the pool running on time', async () => {
    const { clock, pool, t0 } = createHarness();
    const healthy = new RunRecorder(clock);

    for (const [index, [, value]] of thrownValues.entries()) {
      pool.addJob(intervalJob(`bad-${index}`, () => throwValue(value), '1s', { retry: FOREVER }));
    }
    pool.addJob(intervalJob('healthy', healthy.fn, '1s'));
    pool.run();
    await clock.tick(3_000);

    expect(healthy.startsFrom(t0)).toEqual([0, 1_000, 2_000, 3_000]);
    expect(stateOf(pool, 'bad-0').failure).toBe(4);
    expect(stateOf(pool, 'bad-0').status).toBe(JobStatus.Waiting);
  });

  it('keeps a job that returns a rejected promise-like object from crashing the pool', async () => {
    const { clock, pool } = createHarness();
    const thenable = {
      then: (_resolve: unknown, reject: (reason: unknown) => void) => reject('nope'),
    };

    pool.addJob(intervalJob('job', () => thenable, '1s', { retry: FOREVER }));
    pool.run();
    await clock.tick(1_000);

    expect(stateOf(pool, 'job').failure).toBe(2);
  });

  it('writes nothing to the console', async () => {
    const spies = (['log', 'info', 'warn', 'error', 'debug'] as const).map((method) =>
      vi.spyOn(console, method).mockImplementation(() => undefined),
    );
    const { clock, pool } = createHarness();

    for (const [index, [, value]] of thrownValues.entries()) {
      pool.addJob(intervalJob(`bad-${index}`, () => throwValue(value), '1s'));
    }
    pool.run();
    await clock.tick(3_000);

    for (const spy of spies) expect(spy).not.toHaveBeenCalled();
  });
});
