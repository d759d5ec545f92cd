import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Orbit } from '../../../src/orbit.js';
import { SqliteStore } from '../../../src/store/sqlite/index.js';
import type { LogMeta, Logger } from '../../../src/logging/logger.js';
import { createFakeClock } from '../../support/fake-clock.js';
import { makeTempDir } from '../../support/temp-dir.js';

const OPEN_CHILD = join(import.meta.dirname, 'fixtures', 'open-store.ts');

describe('SqliteStore', () => {
  let dir: ReturnType<typeof makeTempDir>;
  let path: string;
  const stores: SqliteStore[] = [];

  beforeEach(() => {
    dir = makeTempDir('sqlite-store');
    path = join(dir.path, 'orbit.db');
  });

  afterEach(() => {
    for (const store of stores.splice(0)) store.close();
    dir.remove();
  });

  function open(options: Partial<ConstructorParameters<typeof SqliteStore>[0]> = {}) {
    const store = new SqliteStore({ path, ...options });
    stores.push(store);
    return store;
  }

  function inspect(query: string): unknown[] {
    const db = new Database(path, { readonly: true });
    try {
      return db.prepare(query).all();
    } finally {
      db.close();
    }
  }

  it('is durable, so a pool on it needs an id', () => {
    const store = open();

    expect(store.durable).toBe(true);
    expect(() => new Orbit().createPool({ store })).toThrow(
      expect.objectContaining({ code: 'EMPTY_ID' }) as Error,
    );
  });

  it('puts the file in WAL mode', () => {
    open();

    expect(inspect('PRAGMA journal_mode')).toEqual([{ journal_mode: 'wal' }]);
  });

  it('names its tables with the prefix it is given, and keeps prefixes apart', () => {
    const first = open({ tablePrefix: 'billing_' });
    const second = open({ tablePrefix: 'reports_' });
    first.register('p', { jobId: 'a', name: 'a', scheduleHash: 'h', firstDueAt: 1 });

    const tables = inspect("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name");

    const names = ['jobs', 'migrations', 'runs'];
    const expected = ['billing_', 'reports_'].flatMap((prefix) => names.map((n) => prefix + n));
    expect(tables).toEqual(expected.map((name) => ({ name })));
    expect(second.job('p', 'a')).toBeUndefined();
  });

  it('refuses a table prefix that is not a plain name', () => {
    expect(() => open({ tablePrefix: 'x; DROP TABLE y' })).toThrow(
      expect.objectContaining({ code: 'INVALID_CONFIG' }) as Error,
    );
  });

  it('refuses a path that is empty or blank, which would make a file named by spaces', () => {
    for (const blank of ['', ' ', '\t']) {
      expect(() => new SqliteStore({ path: blank })).toThrow(
        expect.objectContaining({ code: 'INVALID_CONFIG' }) as Error,
      );
    }
  });

  it('refuses options it does not know', () => {
    const options = { path, busyTimeoutMs: 5 } as unknown as { path: string };
    expect(() => new SqliteStore(options)).toThrow(/busyTimeoutMs/);
  });

  it('records its schema version once and opens again without migrating', () => {
    open().close();
    open();

    expect(inspect('SELECT version FROM orbit_migrations')).toEqual([{ version: 1 }]);
  });

  it('refuses a file whose schema is newer than it knows', () => {
    open().close();
    const db = new Database(path);
    db.prepare('INSERT INTO orbit_migrations (version, applied_at) VALUES (99, 0)').run();
    db.close();

    expect(() => open()).toThrow(expect.objectContaining({ code: 'STORE_UNAVAILABLE' }) as Error);
  });

  it('creates the schema once when several processes open a new file at once', async () => {
    const children = Array.from({ length: 4 }, () =>
      spawn(process.execPath, ['--import', 'tsx', OPEN_CHILD, path], {
        stdio: ['ignore', 'ignore', 'inherit'],
      }),
    );

    const exits = await Promise.all(children.map((child) => once(child, 'exit')));
    const codes = exits.map(([code]) => code as number);

    expect(codes).toEqual([0, 0, 0, 0]);
    expect(inspect('SELECT version FROM orbit_migrations')).toEqual([{ version: 1 }]);
  });

  it('gives up on a locked file after its busy timeout with STORE_UNAVAILABLE', () => {
    const store = open({ busyTimeout: 50 });
    store.register('p', { jobId: 'a', name: 'a', scheduleHash: 'h', firstDueAt: 1 });
    const locker = new Database(path);
    locker.exec('BEGIN IMMEDIATE');

    try {
      const startedMs = performance.now();
      expect(() => store.claim('p', { jobId: 'a', scheduledAt: 1, startedAt: 1 })).toThrow(
        expect.objectContaining({ code: 'STORE_UNAVAILABLE' }) as Error,
      );
      expect(performance.now() - startedMs).toBeLessThan(1000);
    } finally {
      locker.exec('ROLLBACK');
      locker.close();
    }
  });

  it('lets a pool go on after the file was locked for a while', async () => {
    const clock = createFakeClock();
    const errors: string[] = [];
    const logger = recordingLogger(errors);
    const store = open({ busyTimeout: 10 });
    const pool = new Orbit({ clock, logger }).createPool({ id: 'p', store });
    let runs = 0;
    pool.addJob({
      id: 'a',
      fn: () => {
        runs++;
      },
      interval: { time: 100 },
    });
    const locker = new Database(path);
    locker.exec('BEGIN IMMEDIATE');

    pool.run();
    await clock.tick(0);
    locker.exec('ROLLBACK');
    locker.close();
    await clock.tick(1500);
    await pool.kill();

    expect(errors).toContain('store.claim failed; the job tries again');
    expect(runs).toBeGreaterThan(0);
    expect(store.history('p', 'a').at(-1)).toMatchObject({ outcome: 'success' });
  });
});

function recordingLogger(errors: string[]): Logger {
  const logger: Logger = {
    debug: () => undefined,
    info: () => undefined,
    warn: () => undefined,
    error: (message: string, _meta?: LogMeta) => void errors.push(message),
    child: () => logger,
  };
  return logger;
}

describe('SqliteStore with data JSON cannot hold', () => {
  it('records the run and keeps the job running', async () => {
    const dir = makeTempDir('sqlite-data');
    const store = new SqliteStore({ path: join(dir.path, 'orbit.db') });
    const clock = createFakeClock();
    const pool = new Orbit({ clock }).createPool({ id: 'p', store });
    let runs = 0;
    pool.addJob({
      id: 'a',
      interval: { time: 100 },
      fn: (ctrl) => {
        runs++;
        const cycle: Record<string, unknown> = {};
        cycle.self = cycle;
        ctrl.saveData(runs === 1 ? { big: 12n } : { cycle });
      },
    });

    pool.run();
    await clock.tick(250);
    await pool.kill();

    expect(runs).toBe(3);
    expect(store.job('p', 'a')).toMatchObject({ success: 3, data: {} });
    expect(store.history('p', 'a', 3).map((run) => run.outcome)).toEqual([
      'success',
      'success',
      'success',
    ]);
    store.close();
    dir.remove();
  });
});

describe('SqliteStore locked when a run ends', () => {
  it('gets the run end again before the next claim, and the job goes on', async () => {
    const dir = makeTempDir('sqlite-resend');
    const path = join(dir.path, 'orbit.db');
    const store = new SqliteStore({ path, busyTimeout: 5 });
    const clock = createFakeClock();
    const pool = new Orbit({ clock }).createPool({ id: 'p', store });
    const locker = new Database(path);
    let runs = 0;
    pool.addJob({
      id: 'a',
      interval: { time: 100 },
      fn: () => {
        if (++runs > 1) return;
        locker.exec('BEGIN IMMEDIATE');
        clock.setTimeout(() => locker.exec('ROLLBACK'), 50);
      },
    });

    pool.run();
    await clock.tick(350);
    await pool.kill();
    locker.close();

    expect(runs).toBe(4);
    expect(store.job('p', 'a')).toMatchObject({ success: 4, status: 'waiting' });
    expect(store.history('p', 'a').map((run) => run.outcome)).toEqual(Array(4).fill('success'));
    store.close();
    dir.remove();
  });
});
