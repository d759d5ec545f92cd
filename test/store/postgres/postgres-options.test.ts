import { describe, expect, it } from 'vitest';
import { resolvePostgresOptions } from '../../../src/store/postgres/postgres-options.js';
import { expectOrbitError } from '../../support/expect-error.js';

const URL = 'postgres://postgres@127.0.0.1:5432/none';

describe('PostgresStore options', () => {
  it('fills in the defaults: a 30 s lease renewed every 10 s', () => {
    const options = resolvePostgresOptions({ connectionString: URL });

    expect(options).toMatchObject({
      leaseTtlMs: 30_000,
      heartbeatIntervalMs: 10_000,
      maxConnections: 8,
      historyLimit: undefined,
    });
  });

  it.each([70_000, 0, -1, 5432.5, 'x', ''])(
    'refuses a connection port no socket can use: %j',
    (port) => {
      const error = expectOrbitError(
        () => resolvePostgresOptions({ connection: { host: '127.0.0.1', port: port as number } }),
        'INVALID_CONFIG',
      );
      expect(error.message).toContain('connection.port');
    },
  );

  it.each([
    ['host', 5],
    ['user', { name: 'postgres' }],
    ['database', ['test']],
  ])('refuses a connection %s that is not a string', (key, value) => {
    const error = expectOrbitError(
      () => resolvePostgresOptions({ connection: { [key]: value } }),
      'INVALID_CONFIG',
    );
    expect(error.message).toContain(`connection.${key}`);
  });

  it.each([
    ['connectionTimeoutMillis', 'x'],
    ['statement_timeout', 'x'],
    ['idleTimeoutMillis', -1],
    ['ssl', 'yes'],
  ])('refuses a connection %s pg would misread: %j', (key, value) => {
    const error = expectOrbitError(
      () => resolvePostgresOptions({ connection: { [key]: value } }),
      'INVALID_CONFIG',
    );
    expect(error.message).toContain(`connection.${key}`);
  });

  it('takes the pg settings it checks in the forms pg documents', () => {
    const given = {
      connectionTimeoutMillis: 5_000,
      statement_timeout: false as const,
      ssl: { rejectUnauthorized: false },
    };
    expect(resolvePostgresOptions({ connection: given }).connection).toMatchObject(given);
    expect(resolvePostgresOptions({ connection: { ssl: true } }).connection.ssl).toBe(true);
  });

  it('refuses a connection password that is neither a string nor a function, unshown', () => {
    const error = expectOrbitError(
      () => resolvePostgresOptions({ connection: { password: 12_345 as unknown as string } }),
      'INVALID_CONFIG',
    );
    expect(error.message).toContain('connection.password');
    expect(error.message).not.toContain('12345');
    const given = { host: '/run/postgresql', user: 'app', password: () => 'secret' };
    expect(resolvePostgresOptions({ connection: given }).connection).toMatchObject(given);
  });

  it('takes a connection port as a number or a numeric string', () => {
    for (const port of [5432, '5432'] as const) {
      const options = resolvePostgresOptions({ connection: { port: port as number } });
      expect(options.connection.port).toBe(port);
    }
  });

  it.each([
    [{ leaseTtl: 0 }, 'leaseTtl must be from 1000 ms'],
    [{ leaseTtl: 999 }, 'leaseTtl must be from 1000 ms'],
    [{ leaseTtl: 2 ** 31 }, 'leaseTtl must be from 1000 ms'],
    [{ leaseTtl: '30d' }, 'leaseTtl must be from 1000 ms'],
    [{ leaseTtl: '5s', heartbeatInterval: 99 }, 'heartbeatInterval must be from 100 ms'],
  ])('refuses a lease no heartbeat can keep or no timer can hold: %j', (bad, message) => {
    const error = expectOrbitError(
      () => resolvePostgresOptions({ connectionString: URL, ...bad }),
      'INVALID_DURATION',
    );
    expect(error.message).toContain(message);
  });

  it('refuses a heartbeat as long as the lease', () => {
    const error = expectOrbitError(
      () =>
        resolvePostgresOptions({ connectionString: URL, leaseTtl: '5s', heartbeatInterval: '5s' }),
      'INVALID_CONFIG',
    );
    expect(error.message).toContain('heartbeatInterval');
  });

  it('takes the shortest lease and heartbeat it allows', () => {
    const options = resolvePostgresOptions({
      connectionString: URL,
      leaseTtl: 1_000,
      heartbeatInterval: 100,
    });

    expect(options).toMatchObject({ leaseTtlMs: 1_000, heartbeatIntervalMs: 100 });
  });

  it.each(['pg_catalog', 'PG_mine', 'information_schema', null])(
    "refuses PostgreSQL's own schemas and a schema that is not a name: %j",
    (schema) => {
      expectOrbitError(
        () => resolvePostgresOptions({ connectionString: URL, schema: schema as string }),
        'INVALID_CONFIG',
      );
    },
  );

  it('refuses unknown options and a store without a database', () => {
    expectOrbitError(
      () => resolvePostgresOptions({ connectionString: URL, leaseTTL: '5s' } as never),
      'INVALID_CONFIG',
    );
    expectOrbitError(() => resolvePostgresOptions({}), 'INVALID_CONFIG');
    for (const connectionString of ['not a url', '', 'mysql://u:secret@h/db', 'host=h dbname=d']) {
      const error = expectOrbitError(
        () => resolvePostgresOptions({ connectionString }),
        'INVALID_CONFIG',
      );
      expect(error.message).not.toContain('secret');
      // The same string given inside `connection` is refused alike.
      const inside = expectOrbitError(
        () => resolvePostgresOptions({ connection: { connectionString } }),
        'INVALID_CONFIG',
      );
      expect(inside.message).toContain('connection.connectionString');
      expect(inside.message).not.toContain('secret');
    }
    expectOrbitError(
      () => resolvePostgresOptions({ connection: { connectionString: 5 as never } }),
      'INVALID_CONFIG',
    );
    for (const connectionString of [URL, 'postgresql:///db', '/var/run/postgresql db']) {
      expect(resolvePostgresOptions({ connectionString }).connection).toMatchObject({
        connectionString,
      });
    }
    expectOrbitError(
      () => resolvePostgresOptions({ connectionString: URL, maxConnections: 0 }),
      'INVALID_CONFIG',
    );
  });
});
