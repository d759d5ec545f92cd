import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOrbit } from '../support/orbit-process.js';
import { createTestDatabase, type TestDatabase } from '../support/postgres-database.js';
import { makeTempDir } from '../support/temp-dir.js';

// `orbit list` only reads: a store without Orbit's tables is refused and left as it was.

let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
});

afterAll(async () => {
  await database.drop();
});

async function list(store: string) {
  return startOrbit(['list', '--store', store], { json: false }).exited;
}

describe('orbit list on a store without Orbit data', () => {
  it('refuses a SQLite file without Orbit tables and creates none', async () => {
    const dir = makeTempDir('list');
    const path = join(dir.path, 'other.db');
    new Database(path).exec('CREATE TABLE notes (body TEXT)').close();

    const { code, stdout, stderr } = await list(`sqlite:${path}`);
    const tables = new Database(path, { readonly: true })
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table'")
      .all();

    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toBe(
      `orbit: STORE_UNAVAILABLE: the SQLite file ${path} holds no Orbit data: no Orbit ` +
        "tables there (a process running 'orbit run' or a pool on this store creates them)\n",
    );
    expect(tables).toEqual([{ name: 'notes' }]);
    dir.remove();
  });

  it('refuses a SQLite file of a newer schema version', async () => {
    const dir = makeTempDir('list');
    const path = join(dir.path, 'newer.db');
    new Database(path)
      .exec('CREATE TABLE orbit_migrations (version INTEGER PRIMARY KEY, applied_at INTEGER)')
      .exec('INSERT INTO orbit_migrations VALUES (999, 0)')
      .close();

    const { code, stderr } = await list(`sqlite:${path}`);

    expect(code).toBe(1);
    expect(stderr).toMatch(
      /^orbit: STORE_UNAVAILABLE: the SQLite file .* has Orbit schema version 999, newer than/,
    );
    dir.remove();
  });

  it('refuses a PostgreSQL schema that does not exist and does not create it', async () => {
    const { code, stdout, stderr } = await list(`${database.connectionString}?schema=nosuchschema`);
    const { rows } = await database.sql.query(
      "SELECT 1 FROM information_schema.schemata WHERE schema_name = 'nosuchschema'",
    );

    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toMatch(
      /^orbit: STORE_UNAVAILABLE: schema nosuchschema of postgres:.* holds no Orbit data/,
    );
    expect(rows).toEqual([]);
  });

  it('refuses an unreachable PostgreSQL server in one coded line', async () => {
    const { code, stderr } = await list('postgres://postgres@127.0.0.1:1/orbit');

    expect(code).toBe(1);
    expect(stderr).toMatch(/^orbit: STORE_UNAVAILABLE: .* cannot be reached: /);
    expect(stderr.trimEnd().split('\n')).toHaveLength(1);
  });
});

describe('orbit list on a store with Orbit data', () => {
  it('lists the jobs an orbit run left in a PostgreSQL schema', async () => {
    const store = `${database.connectionString}?schema=listed`;
    await startOrbit(['run', 'test/fixtures/cli/jobs-array.mjs', '--store', store]).exited;

    const { code, stdout } = await list(store);

    expect(code).toBe(0);
    expect(stdout).toMatch(/\norbit +once +ended /);
  });
});
