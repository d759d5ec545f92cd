import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DashboardSnapshot, DashboardUpdate } from '../../src/dashboard/index.js';
import { Orbit } from '../../src/orbit.js';
import type { Pool } from '../../src/pool/pool.js';
import { PostgresStore } from '../../src/store/postgres/postgres-store.js';
import { launchChromium } from '../support/chromium.js';
import { openEventStream } from '../support/http-client.js';
import { createTestDatabase, type TestDatabase } from '../support/postgres-database.js';
import { control, jobIn, openDashboard, snapshotOf, snapshotUntil } from './support.js';

// A fleet on a real PostgreSQL server and the real clock: two processes, each with its own
// store (connections, owner name) and pools; the dashboard runs in the first one.

const SCHEMA = 'fleet';

let db: TestDatabase;
let stores: PostgresStore[];
let pools: Pool[];

beforeAll(async () => {
  db = await createTestDatabase();
  stores = [0, 1].map(
    () => new PostgresStore({ connectionString: db.connectionString, schema: SCHEMA }),
  );
  const [here, elsewhere] = stores as [PostgresStore, PostgresStore];
  let exports = 0;

  // This process: pool `reports` with `digest`.
  const reportsHere = new Orbit().createPool({ id: 'reports', store: here });
  reportsHere.addJob({ id: 'digest', interval: { time: '1h' }, fn: () => undefined });
  // The other process: `reports` with `export`, which fails every other run, and `billing`.
  const reportsThere = new Orbit().createPool({ id: 'reports', store: elsewhere });
  reportsThere.addJob({
    id: 'export',
    interval: { time: 150 },
    retry: { active: true, count: 0 },
    fn: () => {
      exports += 1;
      if (exports % 2 === 0) throw new Error('export target refused');
    },
  });
  const billing = new Orbit().createPool({ id: 'billing', store: elsewhere });
  billing.addJob({
    id: 'invoice',
    interval: { time: 150 },
    fn: (ctrl) => ctrl.saveData({ invoiced: 'ACME <b>Corp</b>' }),
  });
  pools = [reportsHere, reportsThere, billing];
  for (const pool of pools) pool.run();
});

afterAll(async () => {
  await Promise.all(pools.map((pool) => pool.kill()));
  await Promise.all(stores.map((store) => store.close()));
  await db.drop();
});

/** A dashboard in the first process, on its pool, with the fleet store read every 100 ms. */
function openFleetDashboard() {
  const [here] = stores as [PostgresStore];
  return openDashboard({ pools: [pools[0] as Pool], fleet: here, fleetRefresh: '100ms' });
}

describe('a dashboard given the fleet store', () => {
  it('shows the jobs of every process, those of others from the store, without buttons', async () => {
    const dashboard = await openFleetDashboard();

    // `digest` is only in this process: when the pool's first choice for it is the other
    // process, its first tick runs after the 2 s standby.
    const snapshot = await snapshotUntil(dashboard.url, (s) => {
      const exported = jobIn(s, 'reports', 'export');
      return (
        (exported?.failure ?? 0) >= 1 &&
        (jobIn(s, 'billing', 'invoice')?.success ?? 0) >= 2 &&
        (jobIn(s, 'reports', 'digest')?.success ?? 0) >= 1
      );
    });

    expect(snapshot.pools.map((pool) => [pool.id, pool.elsewhere])).toEqual([
      ['reports', false],
      ['billing', true],
    ]);
    expect(jobIn(snapshot, 'reports', 'digest')).toMatchObject({ elsewhere: false, success: 1 });
    const exported = jobIn(snapshot, 'reports', 'export');
    expect(exported).toMatchObject({ elsewhere: true });
    expect(exported?.success).toBeGreaterThanOrEqual(1);
    expect(exported?.recentRuns.some((run) => run.failed)).toBe(true);
    expect(exported?.recentRuns.some((run) => !run.failed)).toBe(true);
    const invoice = jobIn(snapshot, 'billing', 'invoice');
    expect(invoice).toMatchObject({ elsewhere: true, dataTruncated: false });
    expect(JSON.parse(invoice?.data ?? '{}')).toEqual({ invoiced: 'ACME <b>Corp</b>' });
    expect(invoice?.lastRun?.startedAt).toMatch(/^\d{4}-\d\d-\d\dT/);
  });

  it('sends the runs of other processes live, and refuses to control them', async () => {
    const dashboard = await openFleetDashboard();
    const stream = await openEventStream(`${dashboard.url}events`);
    const opening = (await stream.next('snapshot')) as DashboardSnapshot;
    const invoicedBefore = jobIn(opening, 'billing', 'invoice')?.success ?? 0;

    const update = (await stream.next('update', (data) =>
      (data as DashboardUpdate).pools.some(
        (pool) =>
          pool.id === 'billing' &&
          pool.jobs.some((job) => job.id === 'invoice' && job.success > invoicedBefore),
      ),
    )) as DashboardUpdate;
    stream.close();

    expect(update.pools.find((pool) => pool.id === 'billing')?.elsewhere).toBe(true);
    expect((await control(dashboard, 'billing', 'invoice', 'stop')).problem()).toEqual([
      404,
      'POOL_NOT_FOUND',
    ]);
    expect((await control(dashboard, 'reports', 'export', 'stop')).problem()).toEqual([
      404,
      'JOB_NOT_FOUND',
    ]);
  });

  it('may show the fleet alone, with no pool of its own', async () => {
    const [, elsewhere] = stores as [PostgresStore, PostgresStore];
    const dashboard = await openDashboard({ pools: [], fleet: elsewhere });

    const snapshot = await snapshotOf(dashboard.url);

    expect(snapshot.pools.map((pool) => pool.id)).toEqual(['billing', 'reports']);
    expect(snapshot.pools.every((pool) => pool.elsewhere)).toBe(true);
  });

  it('draws the jobs of other processes in Chromium, marked and without buttons', async () => {
    const dashboard = await openFleetDashboard();
    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      await page.goto(dashboard.url);
      const invoice = page.locator('section[data-pool-id="billing"] tr[data-job-id="invoice"]');
      await invoice.waitFor({ timeout: 5_000 });

      expect(await invoice.locator('td:first-child').innerText()).toContain('in another process');
      const invoiceButtons = invoice.locator('button');
      expect(await invoiceButtons.count()).toBe(4);
      for (const button of await invoiceButtons.all()) expect(await button.isDisabled()).toBe(true);
      const billingHead = page.locator('section[data-pool-id="billing"] .pool-head .badge');
      expect(await billingHead.textContent()).toBe('in other processes');
      const digest = page.locator('section[data-pool-id="reports"] tr[data-job-id="digest"]');
      expect(await digest.locator('button[data-action="stop"]').isDisabled()).toBe(false);
      expect(await digest.locator('td:first-child').innerText()).not.toContain('another process');
      // The data a job of another process saved is text, as any other.
      expect(await invoice.locator('pre').textContent()).toContain('"ACME <b>Corp</b>"');
      expect(await invoice.locator('pre b').count()).toBe(0);
    } finally {
      await browser.close();
    }
  });
});
