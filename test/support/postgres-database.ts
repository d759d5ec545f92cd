import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** The server the PostgreSQL tests use: the local one unless `ORBIT_TEST_PG` names another. */
export const SERVER_URL = process.env.ORBIT_TEST_PG ?? 'postgres://postgres@127.0.0.1:5432';

/** A database made for one test file, dropped at its end. */
export interface TestDatabase {
  readonly name: string;
  readonly connectionString: string;
  /** A client pool on the database, for assertions and for moving rows in time. */
  readonly sql: pg.Pool;
  drop(): Promise<void>;
}

/** Creates `orbit_test_<random>` on the test server. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `orbit_test_${randomBytes(6).toString('hex')}`;
  await onServer(`CREATE DATABASE ${name}`);
  const connectionString = `${SERVER_URL}/${name}`;
  const sql = new pg.Pool({ connectionString, max: 4 });
  sql.on('error', () => undefined);

  return {
    name,
    connectionString,
    sql,
    drop: async () => {
      await sql.end();
      await onServer(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  };
}

async function onServer(statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: `${SERVER_URL}/postgres` });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}
