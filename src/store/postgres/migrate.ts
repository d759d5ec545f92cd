import type pg from 'pg';
import { OrbitError } from '../../errors/orbit-error.js';
import { withClient } from './checked-out.js';
import { MIGRATIONS, SCHEMA_VERSION } from './migrations.js';
import type { TableNames } from './schema-name.js';

/**
 * Brings the schema up to {@link SCHEMA_VERSION}. Safe to run from many processes at
 * once: the steps run under a session advisory lock keyed on the schema, so one process
 * applies them and the others find them applied. Each step commits with its record.
 *
 * @returns the version the schema was at before.
 * @throws OrbitError `STORE_UNAVAILABLE` when the schema is newer than this library.
 */
export function migrate(pool: pg.Pool, tables: TableNames): Promise<number> {
  const lockKey = `orbit:migrate:${tables.schema}`;
  return withClient(pool, async (client) => {
    await client.query('SELECT pg_advisory_lock(hashtext($1))', [lockKey]);
    try {
      return await applyPending(client, tables);
    } finally {
      await client.query('SELECT pg_advisory_unlock(hashtext($1))', [lockKey]);
    }
  });
}

async function applyPending(client: pg.PoolClient, tables: TableNames): Promise<number> {
  await client.query(`CREATE SCHEMA IF NOT EXISTS ${tables.schema}`);
  await client.query(
    `CREATE TABLE IF NOT EXISTS ${tables.migrations} (
       version integer PRIMARY KEY,
       name text NOT NULL,
       applied_at timestamptz NOT NULL DEFAULT now()
     )`,
  );
  const { rows } = await client.query<{ version: number | null }>(
    `SELECT max(version) AS version FROM ${tables.migrations}`,
  );
  const current = rows[0]?.version ?? 0;
  if (current > SCHEMA_VERSION) {
    throw new OrbitError(
      'STORE_UNAVAILABLE',
      `schema ${tables.schema} is at version ${current}, newer than this library's ` +
        `${SCHEMA_VERSION}; upgrade orbit-scheduler in every process`,
    );
  }

  for (const step of MIGRATIONS) {
    if (step.version <= current) continue;
    await applyStep(client, tables, step.version, step.name, step.sql(tables));
  }
  return current;
}

async function applyStep(
  client: pg.PoolClient,
  tables: TableNames,
  version: number,
  name: string,
  sql: string,
): Promise<void> {
  await client.query('BEGIN');
  try {
    await client.query(sql);
    await client.query(`INSERT INTO ${tables.migrations} (version, name) VALUES ($1, $2)`, [
      version,
      name,
    ]);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  }
}
