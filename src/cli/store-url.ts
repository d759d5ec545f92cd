import { describeThrown, OrbitError } from '../errors/orbit-error.js';
import { cliInputError } from './parse-cli-args.js';
import { loadOptional, type OptionalModule } from './load-optional.js';
import { redacted } from './store-probe.js';

/** The search parameters a PostgreSQL `--store` URL may carry beside what `pg` reads. */
const ORBIT_PARAMETERS = ['schema'];
/** The search parameters `pg` reads from a connection string. */
const PG_PARAMETERS = [
  'sslmode',
  'ssl',
  'sslcert',
  'sslkey',
  'sslrootcert',
  'application_name',
  'fallback_application_name',
  'options',
  'host',
  'port',
  'user',
  'password',
  'client_encoding',
  'connect_timeout',
  'keepalives',
  'keepalives_idle',
  'replication',
];

/** A `--store` value, read. */
export type StoreUrl =
  | { readonly kind: 'memory' }
  | { readonly kind: 'sqlite'; readonly path: string }
  | { readonly kind: 'postgres'; readonly connectionString: string; readonly schema?: string };

/**
 * Reads a `--store` value: `memory` (the default), `sqlite:PATH`, or a PostgreSQL URL
 * (`postgres://` or `postgresql://`; a `schema` search parameter picks the schema).
 *
 * @throws OrbitError `INVALID_CONFIG` for anything else.
 */
export function parseStoreUrl(command: string, text: string | undefined): StoreUrl {
  if (text === undefined || text === 'memory' || text === 'memory:') return { kind: 'memory' };
  if (text.startsWith('sqlite:')) {
    const path = text.slice('sqlite:'.length).replace(/^\/\/(?=\/|\.)/, '');
    if (path === '')
      throw cliInputError(command, "--store sqlite: needs a file path, as in 'sqlite:./orbit.db'");
    return { kind: 'sqlite', path };
  }
  if (/^postgres(ql)?:\/\//.test(text)) return postgresUrl(command, text);

  throw cliInputError(
    command,
    `--store must be memory, sqlite:PATH or postgres://...; got '${text}'`,
  );
}

function postgresUrl(command: string, text: string): StoreUrl {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw cliInputError(command, `--store is not a valid PostgreSQL URL: '${text}'`);
  }
  const unknown = [...url.searchParams.keys()].filter(
    (name) => !ORBIT_PARAMETERS.includes(name) && !PG_PARAMETERS.includes(name),
  );
  if (unknown.length > 0) {
    throw cliInputError(
      command,
      `--store has an unknown URL parameter '${unknown.join("', '")}'; it takes ` +
        `schema=NAME and the connection parameters of pg (${PG_PARAMETERS.join(', ')})`,
    );
  }
  const schema = url.searchParams.get('schema') ?? undefined;
  url.searchParams.delete('schema');
  return {
    kind: 'postgres',
    connectionString: url.toString(),
    ...(schema === undefined ? {} : { schema }),
  };
}

/**
 * Builds the store a `--store` value names, loading its adapter only now. The in-memory
 * store is the pool's default, so it gives `undefined`.
 *
 * @throws OrbitError `MODULE_LOAD_FAILED` when the adapter or its driver is missing,
 * `STORE_UNAVAILABLE` when the store cannot be opened.
 */
export async function openStore(url: StoreUrl): Promise<unknown> {
  switch (url.kind) {
    case 'memory':
      return undefined;
    case 'sqlite':
      return construct('sqlite', 'SqliteStore', { path: url.path });
    case 'postgres': {
      const { connectionString, schema } = url;
      return construct('postgres', 'PostgresStore', {
        connectionString,
        ...(schema ? { schema } : {}),
      });
    }
  }
}

async function construct(
  module: OptionalModule,
  className: string,
  options: Record<string, unknown>,
): Promise<unknown> {
  const exports = await loadOptional(module);
  const StoreClass = exports[className];
  if (typeof StoreClass !== 'function') {
    throw new OrbitError('MODULE_LOAD_FAILED', `the ${module} module does not export ${className}`);
  }
  try {
    return new (StoreClass as new (options: Record<string, unknown>) => unknown)(options);
  } catch (error) {
    if (error instanceof OrbitError) throw error;
    throw new OrbitError(
      'STORE_UNAVAILABLE',
      `the ${module} store could not be opened: ${describeThrown(error)}`,
      {
        cause: error,
      },
    );
  }
}

/** Closes a store that has a `close()`; the in-memory store has none. */
export async function closeStore(store: unknown): Promise<void> {
  const close = (store as { close?: unknown } | undefined)?.close;
  if (typeof close === 'function') await (close as () => unknown).call(store);
}

/** Says which store a `--store` value names, schema included, without its password. */
export function describeStore(url: StoreUrl): string {
  switch (url.kind) {
    case 'memory':
      return 'memory';
    case 'sqlite':
      return `sqlite:${url.path}`;
    case 'postgres': {
      const shown = new URL(redacted(url.connectionString));
      if (url.schema !== undefined) shown.searchParams.set('schema', url.schema);
      return shown.toString();
    }
  }
}
