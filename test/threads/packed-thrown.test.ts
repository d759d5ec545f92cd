import { describe, expect, it } from 'vitest';
import { OrbitError } from '../../src/index.js';
import { packThrown, packUncloneable, unpackThrown } from '../../src/threads/packed-thrown.js';

// What a job throws in a worker thread crosses to the pool through a structured clone.
const acrossThreads = (thrown: unknown): unknown =>
  unpackThrown(structuredClone(packThrown(thrown)));

describe('thrown values crossing from a worker thread', () => {
  it('keeps an error’s name, message, stack, code and cause', () => {
    const cause = new Error('disk full');
    const thrown = Object.assign(new TypeError('write failed', { cause }), { code: 'E_WRITE' });

    const received = acrossThreads(thrown);

    expect(received).toBeInstanceOf(Error);
    expect(received).toMatchObject({ name: 'TypeError', message: 'write failed', code: 'E_WRITE' });
    expect((received as Error).stack).toBe(thrown.stack);
    expect((received as Error).cause).toMatchObject({ message: 'disk full' });
  });

  it('brings an OrbitError back as an OrbitError', () => {
    const thrown = new OrbitError('JOB_TIMEOUT', 'too slow', { jobId: 'report' });

    const received = acrossThreads(thrown);

    expect(received).toBeInstanceOf(OrbitError);
    expect(received).toMatchObject({ code: 'JOB_TIMEOUT', jobId: 'report', message: 'too slow' });
  });

  it('copies other values as they are', () => {
    expect(acrossThreads('plain text')).toBe('plain text');
    expect(acrossThreads(undefined)).toBeUndefined();
    expect(acrossThreads({ step: 3 })).toEqual({ step: 3 });
  });

  it('describes a value that cannot be copied', () => {
    const received = unpackThrown(packUncloneable(() => 1));

    expect(String(received)).toMatch(/cannot be copied out of its worker thread: a function/);
  });
});
