import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isOrbitError } from '../../../src/errors/orbit-error.js';
import { SCHEMA_VERSION } from '../../../src/store/postgres/migrations.js';
import { PostgresStore } from '../../../src/store/postgres/postgres-store.js';
import { createTestDatabase, type TestDatabase } from '../../support/postgres-database.js';

let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase();
});

afterAll(async () => {
  await db.drop();
});

function storeOn(schema: string): PostgresStore {
  return new PostgresStore({ connectionString: db.connectionString, schema });
}

describe('schema migrations', () => {
  it('applies each step once when many processes open the store at the same time', async () => {
    const stores = Array.from({ length: 8 }, () => storeOn('busy'));
    try {
      await Promise.all(stores.map((store) => store.open()));
    } finally {
      await Promise.all(stores.map((store) => store.close()));
    }

    const { rows } = await db.sql.query('SELECT version FROM busy.migrations ORDER BY version');
    expect(rows.map((row: { version: number }) => row.version)).toEqual(
      Array.from({ length: SCHEMA_VERSION }, (_, i) => i + 1),
    );
  });

  it('creates the tables in the schema the user chose', async () => {
    const store = storeOn('Billing_2');
    await store.open();
    await store.close();
    const { rows } = await db.sql.query<{ table_name: string }>(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'Billing_2'
        ORDER BY table_name`,
    );
    expect(rows.map((row) => row.table_name)).toEqual(['jobs', 'members', 'migrations', 'runs']);
  });

  it('refuses a schema that a newer version of the library wrote', async () => {
    const store = storeOn('future');
    await store.open();
    await store.close();
    await db.sql.query(`INSERT INTO future.migrations (version, name) VALUES (999, 'later')`);

    const error: unknown = await storeOn('future')
      .open()
      .catch((e: unknown) => e);
    expect(isOrbitError(error, 'STORE_UNAVAILABLE')).toBe(true);
    expect((error as Error).message).toMatch(/version 999/);
  });

  it('takes the longest schema name it accepts, notifications included', async () => {
    const store = new PostgresStore({
      connectionString: db.connectionString,
      schema: 's'.repeat(57),
    });
    const heard: string[] = [];
    const unwatch = store.watch('p', {
      changed: (change) => heard.push(change.status),
      runLost: () => undefined,
      membersChanged: () => undefined,
    });
    try {
      await store.register('p', { jobId: 'a', name: 'a', scheduleHash: 'h', firstDueAt: 0 });
      await store.setStatus('p', { jobId: 'a', status: 'stopped', dueAt: 0 });
      for (let waited = 0; heard.length === 0 && waited < 5_000; waited += 20) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      expect(heard).toEqual(['stopped']);
    } finally {
      unwatch();
      await store.close();
    }
  });

  it.each(['', '1abc', 'a-b', 'a"b', 'x'.repeat(58), 42])(
    'refuses the schema name %j',
    (schema) => {
      const create = () =>
        new PostgresStore({ connectionString: db.connectionString, schema: schema as string });
      expect(create).toThrow(/schema must be 1 to 57 letters/);
    },
  );
});

describe('an unreachable database', () => {
  it('makes opening the store fail with STORE_UNAVAILABLE', async () => {
    const store = new PostgresStore({
      connectionString: 'postgres://postgres@127.0.0.1:1/none',
    });
    const error: unknown = await store.open().catch((e: unknown) => e);
    expect(isOrbitError(error, 'STORE_UNAVAILABLE')).toBe(true);
    expect((error as Error).cause).toBeInstanceOf(Error);
  });
});
