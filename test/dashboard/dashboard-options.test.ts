import { createServer } from 'node:http';
import { describe, expect, it } from 'vitest';
import { startDashboard, type DashboardOptions } from '../../src/dashboard/index.js';
import type { Logger, LogMeta } from '../../src/index.js';
import { expectCode, expectRejection } from '../support/expect-error.js';
import { createHarness } from '../support/harness.js';
import { openDashboard } from './support.js';

/** Options as a careless caller may pass them. */
function loose(options: Record<string, unknown>): DashboardOptions {
  return options as unknown as DashboardOptions;
}

/** A logger that keeps its info lines. */
function infoRecorder(lines: [string, LogMeta | undefined][]): Logger {
  const logger: Logger = {
    debug: () => undefined,
    info: (message, meta) => lines.push([message, meta]),
    warn: () => undefined,
    error: () => undefined,
    child: () => logger,
  };
  return logger;
}

describe('startDashboard options', () => {
  const { pool } = createHarness({ pool: { id: 'reports' } });

  it.each([
    ['no options', undefined],
    ['no pools', { port: 0 }],
    ['an empty pool list', { pools: [], port: 0 }],
    ['something else than a pool', { pools: [{ id: 'fake' }], port: 0 }],
    ['no port', { pools: [pool] }],
    ['a port out of range', { pools: [pool], port: 70_000 }],
    ['a fractional port', { pools: [pool], port: 80.5 }],
    ['a blank host', { pools: [pool], port: 0, host: ' ' }],
    ['a token with spaces', { pools: [pool], port: 0, token: 'a token with spaces in it' }],
    ['a logger without levels', { pools: [pool], port: 0, logger: {} }],
    ['an unknown option', { pools: [pool], port: 0, colour: 'blue' }],
    ['a fleet that cannot list its jobs', { pools: [pool], port: 0, fleet: { history: () => [] } }],
    ['a fleet refresh without a fleet', { pools: [pool], port: 0, fleetRefresh: '1s' }],
    [
      'a fleet refresh under 100 ms',
      { pools: [], port: 0, fleet: { listJobs: () => [], history: () => [] }, fleetRefresh: 10 },
    ],
  ])('refuses %s with INVALID_CONFIG', async (_case, options) => {
    await expectRejection(
      startDashboard(loose(options as Record<string, unknown>)),
      'INVALID_CONFIG',
    );
  });

  it('never shows a refused token in its message', async () => {
    const token = 'secret with a space';

    const error = await expectRejection(
      startDashboard({ pools: [pool], port: 0, token }),
      'INVALID_CONFIG',
    );

    expect(error.message).not.toContain('secret');
  });

  it('refuses two pools with one id', async () => {
    const twin = createHarness({ pool: { id: 'reports' } }).pool;

    const error = await expectRejection(
      startDashboard({ pools: [pool, twin], port: 0 }),
      'INVALID_CONFIG',
    );

    expect(error.message).toContain("'reports'");
  });

  it('refuses a bad pause timeout with INVALID_DURATION', async () => {
    await expectRejection(
      startDashboard({ pools: [pool], port: 0, pauseTimeout: '-1s' }),
      'INVALID_DURATION',
    );
  });

  it('rejects with INVALID_CONFIG, the system error as its cause, when the port is taken', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const { port } = taken.address() as { port: number };

    const error = await startDashboard({ pools: [pool], port }).catch((thrown: unknown) => thrown);

    expectCode(error, 'INVALID_CONFIG');
    expect((error as Error).message).toContain(`cannot listen on 127.0.0.1:${port}`);
    expect((error as Error).cause).toMatchObject({ code: 'EADDRINUSE' });
    await new Promise((resolve) => taken.close(resolve));
  });

  it('listens on 127.0.0.1 by default and tells the port it picked', async () => {
    const dashboard = await openDashboard({ pools: [pool] });

    expect(dashboard.url).toMatch(/^http:\/\/127\.0\.0\.1:[1-9]\d*\/$/);
  });

  it('logs where it listens', async () => {
    const lines: [string, LogMeta | undefined][] = [];

    const dashboard = await openDashboard({ pools: [pool], logger: infoRecorder(lines) });

    expect(lines).toContainEqual([
      'dashboard listening',
      { url: dashboard.url, guardedByToken: false },
    ]);
  });

  it('closes once however often close is called', async () => {
    const dashboard = await openDashboard({ pools: [pool] });

    const closings = [dashboard.close(), dashboard.close()];

    await expect(Promise.all(closings)).resolves.toEqual([undefined, undefined]);
  });
});
