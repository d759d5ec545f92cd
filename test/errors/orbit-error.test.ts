import { describe, expect, it } from 'vitest';
import { ERROR_CODES, OrbitError, isOrbitError } from '../../src/index.js';

describe('OrbitError', () => {
  it('is an Error with a stable code, a job id and a cause', () => {
    const cause = new Error('low level');

    const error = new OrbitError('JOB_EXECUTION', 'report failed', { jobId: 'report', cause });

    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('OrbitError');
    expect(error.code).toBe('JOB_EXECUTION');
    expect(error.jobId).toBe('report');
    expect(error.cause).toBe(cause);
    expect(error.message).toBe('report failed');
  });

  it('keeps a cause of undefined apart from no cause at all', () => {
    const withUndefined = new OrbitError('JOB_EXECUTION', 'failed', { cause: undefined });
    const without = new OrbitError('JOB_EXECUTION', 'failed');

    expect('cause' in withUndefined).toBe(true);
    expect('cause' in without).toBe(false);
  });

  it('is recognised by isOrbitError, with or without a code', () => {
    const error = new OrbitError('JOB_TIMEOUT', 'too slow');

    expect(isOrbitError(error)).toBe(true);
    expect(isOrbitError(error, 'JOB_TIMEOUT')).toBe(true);
    expect(isOrbitError(error, 'JOB_STOPPED')).toBe(false);
    expect(isOrbitError(new Error('plain'))).toBe(false);
    expect(isOrbitError('JOB_TIMEOUT')).toBe(false);
  });

  it('has a catalogue entry with a meaning for every code the contract names', () => {
    const contractCodes = [
      'EMPTY_ID',
      'ID_EXISTS',
      'EMPTY_FUNCTION',
      'WRONG_TIME',
      'MIXED_SCHEDULE_TYPE',
      'MISSING_SCHEDULE',
      'INVALID_CRON',
      'INVALID_DURATION',
      'INVALID_TIMEZONE',
      'INVALID_CONFIG',
      'JOB_NOT_FOUND',
      'POOL_SHUTDOWN',
      'JOB_TIMEOUT',
      'JOB_EXECUTION',
      'JOB_STOPPED',
      'JOB_NOT_RUNNING',
      'JOB_ALREADY_PAUSED',
      'JOB_NOT_PAUSED_OR_STOPPED',
      'HOOK_FAILED',
      'RUN_LOST',
      'STORE_UNAVAILABLE',
    ];

    for (const code of contractCodes) {
      expect(ERROR_CODES, code).toHaveProperty(code, expect.stringMatching(/\S/));
    }
  });
});
