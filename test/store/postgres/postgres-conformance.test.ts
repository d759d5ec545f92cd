import { afterAll, beforeAll } from 'vitest';
import { PostgresStore } from '../../../src/store/postgres/postgres-store.js';
import { createTestDatabase, type TestDatabase } from '../../support/postgres-database.js';
import { describeStoreConformance } from '../conformance.js';

let db: TestDatabase;
let schemaSeq = 0;

beforeAll(async () => {
  db = await createTestDatabase();
});

afterAll(async () => {
  await db.drop();
});

describeStoreConformance('PostgresStore', ({ historyLimit }) => {
  const schema = `conformance_${++schemaSeq}`;
  const open = () =>
    new PostgresStore({ connectionString: db.connectionString, schema, historyLimit });
  const store = open();

  return Promise.resolve({
    store,
    takesOverLostRuns: true,
    // The first process dies: its heartbeats stop, and its leases run out.
    reopen: async () => {
      await store.close();
      await db.sql.query(
        `UPDATE ${schema}.jobs SET lease_expires_at = now() - interval '1 second'
          WHERE lease_owner IS NOT NULL`,
      );
      return open();
    },
    cleanup: async () => {
      await store.close();
      await db.sql.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    },
  });
});
