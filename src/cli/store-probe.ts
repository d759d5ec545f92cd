import { describeThrown, OrbitError } from '../errors/orbit-error.js';
import type { StoreUrl } from './store-url.js';

/** What a probe found in a durable store, without writing to it. */
export interface StoreProbe {
  /** The schema version of Orbit's tables; 0 when they are not there. */
  readonly schemaVersion: number;
  /** The version this build reads and writes. */
  readonly knownVersion: number;
  /** Where the tables were looked for, for messages. */
  readonly where: string;
}

/**
 * Connects to the store a `--store` value names and reads which version of Orbit's
 * tables it holds. It only reads: nothing is created or migrated, a SQLite file is
 * opened read-only. The in-memory store gives `undefined`.
 *
 * @throws OrbitError `STORE_UNAVAILABLE` when the store cannot be reached or opened,
 * `MODULE_LOAD_FAILED` without its driver.
 */
export async function probeStore(url: StoreUrl): Promise<StoreProbe | undefined> {
  switch (url.kind) {
    case 'memory':
      return undefined;
    case 'sqlite':
      return probeSqlite(url.path);
    case 'postgres':
      return probePostgres(url.connectionString, url.schema);
  }
}

/**
 * Checks that a store holds Orbit data this build can read, for commands that only read.
 *
 * @throws OrbitError `STORE_UNAVAILABLE` when it holds none, or another schema version.
 */
export function assertReadable(probe: StoreProbe): void {
  const { schemaVersion, knownVersion, where } = probe;
  if (schemaVersion === 0) {
    throw new OrbitError(
      'STORE_UNAVAILABLE',
      `${where} holds no Orbit data: no Orbit tables there (a process running ` +
        "'orbit run' or a pool on this store creates them)",
    );
  }
  if (schemaVersion !== knownVersion) {
    const age = schemaVersion < knownVersion ? 'older' : 'newer';
    throw new OrbitError(
      'STORE_UNAVAILABLE',
      `${where} has Orbit schema version ${schemaVersion}, ${age} than the version ` +
        `${knownVersion} this Orbit reads; run the matching orbit-scheduler version`,
    );
  }
}

/**
 * Checks, before a pool uses it, that a PostgreSQL store can be reached and holds no
 * newer schema: the pool itself would only retry, for ever. A SQLite file is checked
 * as its store opens it; the in-memory store needs nothing.
 *
 * @throws OrbitError `STORE_UNAVAILABLE` saying why.
 */
export async function checkStoreReachable(url: StoreUrl): Promise<void> {
  if (url.kind !== 'postgres') return;

  const probe = await probeStore(url);
  if (probe !== undefined && probe.schemaVersion > probe.knownVersion) assertReadable(probe);
}

async function probeSqlite(path: string): Promise<StoreProbe> {
  const [{ default: Database }, { SCHEMA_VERSION, migrationsTable }, { DEFAULT_TABLE_PREFIX }] =
    await Promise.all([
      importDriver('better-sqlite3', 'sqlite:', () => import('better-sqlite3')),
      import('../store/sqlite/migrations.js'),
      import('../store/sqlite/sqlite-options.js'),
    ]);
  const where = `the SQLite file ${path}`;
  const table = migrationsTable(DEFAULT_TABLE_PREFIX);
  let db: InstanceType<typeof Database> | undefined;
  try {
    db = new Database(path, { readonly: true, fileMustExist: true });
    const exists = db
      .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?")
      .get(table);
    const row = exists
      ? (db.prepare(`SELECT max(version) AS version FROM ${table}`).get() as {
          version: number | null;
        })
      : undefined;
    return { schemaVersion: row?.version ?? 0, knownVersion: SCHEMA_VERSION, where };
  } catch (error) {
    throw unavailable(where, error);
  } finally {
    db?.close();
  }
}

async function probePostgres(
  connectionString: string,
  schemaOption: string | undefined,
): Promise<StoreProbe> {
  const [{ default: pg }, { SCHEMA_VERSION }, { DEFAULT_SCHEMA, tableNames }] = await Promise.all([
    importDriver('pg', 'postgres:', () => import('pg')),
    import('../store/postgres/migrations.js'),
    import('../store/postgres/schema-name.js'),
  ]);
  const schema = schemaOption ?? DEFAULT_SCHEMA;
  const tables = tableNames(schema);
  const where = `schema ${schema} of ${redacted(connectionString)}`;
  const client = new pg.Client({ connectionString });
  client.on('error', () => undefined);
  try {
    await client.connect();
    const { rows } = await client.query<{ present: string | null }>(
      'SELECT to_regclass($1) AS present',
      [tables.migrations],
    );
    if (rows[0]?.present == null) return { schemaVersion: 0, knownVersion: SCHEMA_VERSION, where };
    const result = await client.query<{ version: number | null }>(
      `SELECT max(version) AS version FROM ${tables.migrations}`,
    );
    const schemaVersion = result.rows[0]?.version ?? 0;
    return { schemaVersion, knownVersion: SCHEMA_VERSION, where };
  } catch (error) {
    throw unavailable(where, error);
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function importDriver<T>(name: string, store: string, load: () => Promise<T>): Promise<T> {
  try {
    return await load();
  } catch (error) {
    throw new OrbitError(
      'MODULE_LOAD_FAILED',
      `--store ${store} needs the ${name} package: ${describeThrown(error)}`,
      { cause: error },
    );
  }
}

function unavailable(where: string, error: unknown): OrbitError {
  return new OrbitError(
    'STORE_UNAVAILABLE',
    `${where} cannot be reached: ${describeThrown(error)}`,
    {
      cause: error,
    },
  );
}

/** A connection string as it may be shown: its password masked. */
export function redacted(connectionString: string): string {
  const shown = new URL(connectionString);
  if (shown.password !== '') shown.password = '***';
  return shown.toString();
}
