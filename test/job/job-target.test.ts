import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { Orbit, OrbitError, type JobConfig } from '../../src/index.js';

// Validation only: none of these jobs runs, so no thread starts.

const MODULE_URL = new URL('../threads/fixtures/control.mjs', import.meta.url);
const fn = (): void => undefined;

function addJob(config: Partial<JobConfig>): void {
  const pool = new Orbit().createPool();
  pool.addJob({ id: 'job', interval: { time: '1s' }, ...config });
}

/** The OrbitError that `action` throws. */
function errorOf(action: () => void): OrbitError {
  try {
    action();
  } catch (error) {
    if (error instanceof OrbitError) return error;
    throw error;
  }
  throw new Error('nothing was thrown');
}

describe('what a job runs', () => {
  it('refuses a job with neither fn nor worker with EMPTY_FUNCTION', () => {
    expect(errorOf(() => addJob({})).code).toBe('EMPTY_FUNCTION');
  });

  it('refuses a job with both fn and worker with INVALID_CONFIG', () => {
    const error = errorOf(() => addJob({ fn, worker: MODULE_URL }));

    expect(error.code).toBe('INVALID_CONFIG');
    expect(error.message).toMatch(/either fn or worker, not both/);
  });

  it('takes a module as a URL, a file URL string or an absolute path', () => {
    const path = fileURLToPath(MODULE_URL);
    for (const worker of [MODULE_URL, MODULE_URL.href, path]) {
      expect(() => addJob({ worker })).not.toThrow();
    }
  });

  it.each([
    ['a relative path', './control.mjs'],
    ['a missing file', fileURLToPath(new URL('./missing.mjs', MODULE_URL))],
    ['a web address', new URL('https://example.com/job.js')],
    ['a file that is not a module', fileURLToPath(new URL('../../../package.json', MODULE_URL))],
    ['a number', 42],
  ])('refuses %s as worker with INVALID_CONFIG', (_what, worker) => {
    const error = errorOf(() => addJob({ worker: worker as string }));

    expect(error.code).toBe('INVALID_CONFIG');
    expect(error.message).toMatch(/worker must be/);
  });

  it('refuses worker-only options on a job with fn', () => {
    for (const option of [{ killAfter: '1s' }, { export: 'run' }, { resourceLimits: {} }]) {
      const error = errorOf(() => addJob({ fn, ...option }));

      expect(error.code).toBe('INVALID_CONFIG');
      expect(error.message).toMatch(/applies to worker jobs only/);
    }
  });

  it('refuses a bad killAfter, export or resourceLimits', () => {
    const worker = MODULE_URL;
    const limits = (value: unknown): JobConfig['resourceLimits'] =>
      value as JobConfig['resourceLimits'];

    expect(errorOf(() => addJob({ worker, killAfter: -1 })).code).toBe('INVALID_DURATION');
    expect(errorOf(() => addJob({ worker, export: '' })).code).toBe('INVALID_CONFIG');
    expect(
      errorOf(() => addJob({ worker, resourceLimits: limits({ maxOldGenerationSizeMb: 0 }) }))
        .message,
    ).toMatch(/resourceLimits.maxOldGenerationSizeMb must be/);
    expect(
      errorOf(() => addJob({ worker, resourceLimits: limits({ maxHeap: 1 }) })).message,
    ).toMatch(/no option 'maxHeap'/);
  });
});

describe('the threads option of a pool', () => {
  it('refuses anything but a whole number of at least one', () => {
    for (const threads of [0, 1.5, '2']) {
      const error = errorOf(() => new Orbit().createPool({ threads: threads as number }));

      expect(error.code).toBe('INVALID_CONFIG');
      expect(error.message).toMatch(/threads must be/);
    }
  });
});
