import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/run-cli.js';
import { parseListenAddress } from '../../src/cli/listen-address.js';
import { describeStore, openStore, parseStoreUrl } from '../../src/cli/store-url.js';
import { captureOutput } from '../support/cli-io.js';

async function isAvailable(specifier: string): Promise<boolean> {
  try {
    await import(specifier);
    return true;
  } catch {
    return false;
  }
}

// From the sources the CLI loads the sqlite module beside it: only its driver can be missing.
const sqliteAvailable = await isAvailable('better-sqlite3');

describe('--store', () => {
  it('defaults to the in-memory store, which the pool makes itself', async () => {
    expect(parseStoreUrl('run', undefined)).toEqual({ kind: 'memory' });
    expect(parseStoreUrl('run', 'memory')).toEqual({ kind: 'memory' });
    expect(await openStore({ kind: 'memory' })).toBeUndefined();
  });

  it('reads sqlite:PATH, relative or absolute', () => {
    expect(parseStoreUrl('run', 'sqlite:./data/orbit.db')).toEqual({
      kind: 'sqlite',
      path: './data/orbit.db',
    });
    expect(parseStoreUrl('run', 'sqlite:///var/lib/orbit.db')).toEqual({
      kind: 'sqlite',
      path: '/var/lib/orbit.db',
    });
  });

  it('reads a PostgreSQL URL, taking the schema from its search parameters', () => {
    const url = parseStoreUrl('run', 'postgres://orbit:s3cret@127.0.0.1:5432/test?schema=jobs');

    expect(url).toEqual({
      kind: 'postgres',
      connectionString: 'postgres://orbit:s3cret@127.0.0.1:5432/test',
      schema: 'jobs',
    });
    expect(describeStore(url)).toBe('postgres://orbit:***@127.0.0.1:5432/test?schema=jobs');
  });

  it.skipIf(sqliteAvailable)(
    'says clearly that the sqlite store is missing from a build without it',
    async () => {
      const output = captureOutput();
      const code = await runCli(['list', '--store', 'sqlite:./nowhere.db'], output);

      expect(code).toBe(1);
      expect(output.stderr()).toMatch(
        /^orbit: MODULE_LOAD_FAILED: the sqlite module is not available: orbit-scheduler\/sqlite could not be loaded/,
      );
      expect(output.stderr()).toContain('better-sqlite3');
    },
  );
});

describe('[HOST:]PORT', () => {
  it('listens on the loopback interface unless told otherwise', () => {
    expect(parseListenAddress('run', '--metrics', '9464')).toEqual({
      host: '127.0.0.1',
      port: 9464,
    });
    expect(parseListenAddress('run', '--metrics', '0.0.0.0:80')).toEqual({
      host: '0.0.0.0',
      port: 80,
    });
    expect(parseListenAddress('run', '--metrics', '[::1]:0')).toEqual({ host: '::1', port: 0 });
  });
});
