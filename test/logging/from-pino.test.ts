import { Writable } from 'node:stream';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { fromPino, Orbit, type PinoLikeLogger } from '../../src/index.js';
import { createFakeClock } from '../support/fake-clock.js';

interface Line {
  level: string;
  bindings: Record<string, unknown>;
  meta: Record<string, unknown>;
  message: string;
}

/** A pino-shaped logger that records every call with the bindings of its child chain. */
function fakePino(lines: Line[], bindings: Record<string, unknown> = {}): PinoLikeLogger {
  const at =
    (level: string) =>
    (meta: object, message: string): void => {
      lines.push({ level, bindings, meta: meta as Record<string, unknown>, message });
    };
  return {
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    child: (more) => fakePino(lines, { ...bindings, ...more }),
  };
}

function failingJobPool(logger: PinoLikeLogger) {
  const clock = createFakeClock();
  const pool = new Orbit({ clock, logger: fromPino(logger) }).createPool({ id: 'reports' });
  pool.addJob({
    id: 'nightly',
    fn: () => {
      throw new Error('disk full');
    },
    interval: { time: '1h' },
  });
  return { clock, pool };
}

describe('fromPino', () => {
  it('logs state changes at debug, with the pool bound and the job in the metadata', async () => {
    const lines: Line[] = [];
    const { clock, pool } = failingJobPool(fakePino(lines));
    pool.run();
    await clock.flush();

    const started = lines.find((line) => line.message === 'run started');
    expect(started).toMatchObject({
      level: 'debug',
      bindings: { pool: 'reports' },
      meta: { event: 'run:started', jobId: 'nightly', fence: 1, latenessMs: 0 },
    });
    expect(lines.map((line) => line.message)).toEqual([
      'job added',
      'pool started',
      'run started',
      'run failed',
      'job ended: it failed and has no retry left',
    ]);
  });

  it('logs a failed run at warn with its error under err', async () => {
    const lines: Line[] = [];
    const { clock, pool } = failingJobPool(fakePino(lines));
    pool.run();
    await clock.flush();

    const failed = lines.find((line) => line.message === 'run failed');
    expect(failed?.level).toBe('warn');
    expect(failed?.meta.error).toBeUndefined();
    expect((failed?.meta.err as Error).message).toBe("job 'nightly' failed: disk full");
  });

  it('logs a listener that throws at error, and the pool goes on', async () => {
    const lines: Line[] = [];
    const { clock, pool } = failingJobPool(fakePino(lines));
    pool.on('run:started', () => {
      throw new Error('listener bug');
    });
    pool.run();
    await clock.flush();

    const failure = lines.find((line) => line.level === 'error');
    expect(failure?.message).toBe('an event listener failed; the pool goes on');
    expect((failure?.meta.err as Error).message).toBe('listener bug');
    expect(lines.some((line) => line.message === 'run failed')).toBe(true);
  });

  it('keeps the pool going when the pino logger itself throws', async () => {
    const logger = fakePino([]);
    logger.debug = () => {
      throw new Error('transport down');
    };
    const { clock, pool } = failingJobPool(logger);
    pool.run();
    await clock.flush();

    expect(pool.getMetrics().nightly?.failure).toBe(1);
  });

  it('writes JSON lines through a real pino logger, errors serialized', async () => {
    const chunks: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        chunks.push(chunk.toString());
        done();
      },
    });
    const { clock, pool } = failingJobPool(pino({ level: 'debug' }, sink));
    pool.run();
    await clock.flush();

    const records = chunks
      .join('')
      .trim()
      .split('\n')
      .map((text) => JSON.parse(text) as Record<string, unknown>);
    const started = records.find((record) => record.msg === 'run started');
    expect(started).toMatchObject({ level: 20, pool: 'reports', jobId: 'nightly' });
    expect(started?.scheduledAt).toMatch(/^\d{4}-\d\d-\d\dT/);
    const failed = records.find((record) => record.msg === 'run failed');
    expect(failed).toMatchObject({ level: 40, err: { type: 'OrbitError', code: 'JOB_EXECUTION' } });
    expect((failed?.err as { stack: string }).stack).toContain('disk full');
  });

  it('refuses a logger without child with INVALID_CONFIG', () => {
    const partial: Partial<PinoLikeLogger> = { ...fakePino([]) };
    delete partial.child;

    expect(() => fromPino(partial as PinoLikeLogger)).toThrow(
      expect.objectContaining({ code: 'INVALID_CONFIG' }) as Error,
    );
    expect(() => fromPino(partial as PinoLikeLogger)).toThrow(/logger\.child must be a function/);
  });
});
