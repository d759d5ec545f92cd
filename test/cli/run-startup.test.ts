import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpRequest } from '../support/http-client.js';
import { startOrbit } from '../support/orbit-process.js';
import { createTestDatabase, type TestDatabase } from '../support/postgres-database.js';

// `orbit run` as a real process: how it starts, refuses to start, and stops in a hurry.

const ENDING = 'test/fixtures/cli/jobs-array.mjs';
const ENDLESS = 'test/fixtures/cli/jobs.ts';
const TOKEN = 'a-dashboard-secret-0123';

const PACKAGE = JSON.parse(
  readFileSync(new URL('../../package.json', import.meta.url), 'utf8'),
) as { version: string };

let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
});

afterAll(async () => {
  await database.drop();
});

describe('orbit run at its start', () => {
  it('runs every job on PostgreSQL with --metrics before it exits on its own', async () => {
    const store = `${database.connectionString}?schema=startup_metrics`;
    const orbit = startOrbit(['run', ENDING, '--store', store, '--metrics', '127.0.0.1:0']);
    const { code } = await orbit.exited;
    const events = orbit.records.map((record) => record.event).filter(Boolean);

    expect(code).toBe(0);
    // Stopping before the job is registered would kill it (job:stopped), not end it.
    expect(events.slice(-2)).toEqual(['job:ended', 'pool:killed']);
  });

  it('logs the store with its schema, and no password', async () => {
    const url = new URL(database.connectionString);
    url.password = 'not-needed';
    url.searchParams.set('schema', 'startup_shown');
    const orbit = startOrbit(['run', ENDING, '--store', url.toString()]);
    const running = await orbit.waitFor((record) => record.msg === 'orbit running');
    await orbit.exited;

    expect(running.store).toContain('schema=startup_shown');
    expect(running.store).not.toContain('not-needed');
  });

  it.each([
    ['an unreachable server', 'postgres://postgres@127.0.0.1:1/orbit'],
    ['a missing database', 'postgres://postgres@127.0.0.1:5432/orbit_no_such_database'],
  ])('stops at once with STORE_UNAVAILABLE on %s', async (_, store) => {
    const { code, stdout, stderr } = await startOrbit(['run', ENDING, '--store', store]).exited;

    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/^orbit: STORE_UNAVAILABLE: schema orbit of postgres:\/\/.* cannot be/);
    expect(stderr.trimEnd().split('\n')).toHaveLength(1);
  });

  it('runs the jobs of a module that exports them by name', async () => {
    const orbit = startOrbit(['run', 'test/fixtures/cli/jobs-named.mjs']);
    const { code } = await orbit.exited;

    expect(code).toBe(0);
    expect(orbit.records.find((record) => record.event === 'job:ended')).toMatchObject({
      pool: 'named',
      jobId: 'named-once',
      success: 1,
    });
  });

  it.each([
    ['jobs-named-empty.mjs', 'the module exports no jobs'],
    ['jobs-default-empty.mjs', 'the module exports no jobs'],
    ['jobs-other-exports.mjs', 'it has no default export and exports only schedule'],
  ])('refuses %s with INVALID_CONFIG and exit 1', async (file, reason) => {
    const { code, stdout, stderr } = await startOrbit(['run', `test/fixtures/cli/${file}`]).exited;

    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/^orbit: INVALID_CONFIG: jobs module '.*' must export an array of jobs/);
    expect(stderr).toContain(reason);
  });
});

describe('orbit from a clone', () => {
  it('runs from its source through npm run orbit', async () => {
    const orbit = startOrbit(['--version'], { npmScript: 'orbit', json: false });
    const { code, stdout } = await orbit.exited;

    expect(code).toBe(0);
    expect(stdout.split('\n')).toContain(PACKAGE.version);
  });
});

describe('orbit run --dashboard', () => {
  it('serves a dashboard on 0.0.0.0 guarded by the token of ORBIT_DASHBOARD_TOKEN', async () => {
    const orbit = startOrbit(['run', ENDLESS, '--dashboard', '0.0.0.0:0', '--grace', '0s'], {
      env: { ORBIT_DASHBOARD_TOKEN: TOKEN },
    });
    const running = await orbit.waitFor((record) => record.msg === 'orbit running');
    const port = /dashboard at http:\/\/[^:/]+:(\d+)\//.exec(String(running.notes))?.[1];
    const api = `http://127.0.0.1:${String(port)}/api/pools`;
    const guarded = await httpRequest(api);
    const opened = await httpRequest(api, { headers: { authorization: `Bearer ${TOKEN}` } });
    orbit.signal('SIGTERM');
    await orbit.exited;

    expect(String(running.notes)).not.toContain('0.0.0.0');
    expect(guarded.status).toBe(401);
    expect(opened.status).toBe(200);
    expect(opened.text).toContain('"tick"');
  });

  it('takes the token from --dashboard-token too', async () => {
    const args = ['run', ENDLESS, '--dashboard', '0.0.0.0:0', '--dashboard-token', TOKEN];
    const orbit = startOrbit(args);
    const running = await orbit.waitFor((record) => record.msg === 'orbit running');
    orbit.signal('SIGTERM');
    const { code } = await orbit.exited;

    expect(running.notes).toEqual([expect.stringMatching(/^dashboard at http:/)]);
    expect(code).toBe(0);
  });

  it('refuses 0.0.0.0 without a token in one line that says how to give one', async () => {
    const orbit = startOrbit(['run', ENDING, '--dashboard', '0.0.0.0:0']);
    const { code, stdout, stderr } = await orbit.exited;

    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/^orbit: INVALID_CONFIG: .*set ORBIT_DASHBOARD_TOKEN/);
    expect(stderr.trimEnd().split('\n')).toHaveLength(1);
  });

  it('refuses a port in use in one line, with no log of the pool', async () => {
    const taken = await listeningServer();
    const { port } = taken.address() as { port: number };
    const orbit = startOrbit(['run', ENDING, '--dashboard', `127.0.0.1:${port}`]);
    const { code, stdout, stderr } = await orbit.exited;
    taken.close();

    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/^orbit: INVALID_CONFIG: orbit run: --dashboard cannot listen on/);
    expect(stderr.trimEnd().split('\n')).toHaveLength(1);
  });
});

describe('orbit run on a second stop signal', () => {
  it('logs it and aborts a run that ignores its signal at once', async () => {
    const orbit = startOrbit(['run', 'test/fixtures/cli/job-ignores-signal.mjs', '--grace', '30s']);
    await orbit.waitFor((record) => record.event === 'run:started');
    orbit.signal('SIGINT');
    await orbit.waitFor((record) => record.msg.startsWith('stopping:'));
    const secondAt = Date.now();
    orbit.signal('SIGINT');
    const { code } = await orbit.exited;
    const stopMs = Date.now() - secondAt;

    expect(code).toBe(0);
    // The kill timeout is 5 s: the process must not wait for it.
    expect(stopMs).toBeLessThan(2_500);
    expect(orbit.records.find((record) => record.msg.startsWith('stopping now'))).toMatchObject({
      level: 'warn',
      signal: 'SIGINT',
    });
    expect(orbit.records.at(-1)).toMatchObject({ msg: 'orbit stopped', aborted: 1 });
  });
});

function listeningServer(): Promise<Server> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}
