import { mkdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Orbit, type JobControl, type Logger, type LogMeta, type Pool } from '../../src/index.js';
import { launchChromium, type TestBrowser } from '../support/chromium.js';
import { openDashboard } from './support.js';

// Real clock, real browser: these tests prove the page works end to end, so they wait
// for what a user would see, with short intervals.

const SCREENSHOT_PATH = 'test-output/dashboard.png';
const HOSTILE_ID = 'x<img src=x onerror="window.__injected=1">';
const HOSTILE_NAME = '<b id="injected-name">bold</b><script>window.__injected=2</script>';
const HOSTILE_DATA = '<img id="injected-data" src=x onerror="window.__injected=3">';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A long job that saves its step and allows a pause after every one. */
class SteppingJob {
  step = 0;
  /** The step at which the job took a pause. */
  pausedAtStep: number | undefined;
  resumedAfterPause = 0;

  readonly fn = async (ctrl: JobControl): Promise<void> => {
    for (let step = 1; step <= 400 && !ctrl.signal.aborted; step++) {
      await sleep(25);
      this.step = step;
      ctrl.saveData({ step, of: 400, file: 'orders-2026-01.csv' });
      if (ctrl.pauseRequested) this.pausedAtStep = step;
      if (await ctrl.checkpoint()) this.resumedAfterPause++;
    }
  };
}

/** Resolves once `holds()` is true, checking every 20 ms; fails after `timeoutMs`. */
async function until(holds: () => boolean, timeoutMs = 5_000): Promise<void> {
  for (const startMs = Date.now(); !holds(); await sleep(20)) {
    if (Date.now() - startMs > timeoutMs) throw new Error('the condition never held');
  }
}

/** Collects the dashboard's debug lines. */
function debugRecorder(lines: [string, LogMeta | undefined][]): Logger {
  const logger: Logger = {
    debug: (message, meta) => lines.push([message, meta]),
    info: () => undefined,
    warn: () => undefined,
    error: () => undefined,
    child: () => logger,
  };
  return logger;
}

function rowOf(jobId: string): string {
  return `tr[data-job-id=${JSON.stringify(jobId)}]`;
}

function statusText(page: Page, jobId: string): Promise<string | null> {
  return page.locator(`${rowOf(jobId)} td:nth-child(2) .badge`).textContent();
}

/** Waits until the job's status badge reads `status`. */
async function waitForStatus(page: Page, jobId: string, status: string): Promise<void> {
  const badge = page.locator(`${rowOf(jobId)} td:nth-child(2) .badge`, {
    hasText: new RegExp(`^${status}$`),
  });
  await badge.waitFor({ timeout: 5_000 });
}

async function click(page: Page, jobId: string, action: string): Promise<void> {
  await page.locator(`${rowOf(jobId)} button[data-action="${action}"]`).click();
}

/** Serves one page from another origin (another port of 127.0.0.1). */
async function serveElsewhere(html: string): Promise<{ url: string; server: Server }> {
  const server = createServer((_request, response) => {
    response.writeHead(200, { 'Content-Type': 'text/html' });
    response.end(html);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/`, server };
}

describe('the dashboard page in Chromium', () => {
  let browser: TestBrowser;
  let orbit: Orbit;
  let pool: Pool;
  const batch = new SteppingJob();
  let tickRuns = 0;

  beforeAll(async () => {
    browser = await launchChromium();
    orbit = new Orbit();
    pool = orbit.createPool({ id: 'reports' });
    pool.addJob({
      id: 'batch-import',
      name: 'Batch import',
      interval: { time: '1h' },
      fn: batch.fn,
    });
    pool.addJob({
      id: 'heartbeat',
      // Runs of 700-1,000 ms every 2 s: each status lasts long enough to reach the page
      // through the feed's coalescing on a loaded machine.
      interval: { time: '2s' },
      fn: async () => {
        tickRuns++;
        await sleep(700 + (tickRuns % 4) * 100);
      },
    });
    pool.addJob({ id: 'nightly-report', interval: { time: '1h' }, fn: () => undefined });
    pool.addJob({ id: '..', interval: { time: '1h' }, fn: () => undefined });
    pool.addJob({
      id: HOSTILE_ID,
      name: HOSTILE_NAME,
      interval: { time: '1h' },
      fn: (ctrl) => ctrl.saveData({ note: HOSTILE_DATA }),
    });
    pool.run();
  });

  afterAll(async () => {
    await pool.kill({ timeout: 1_000 });
    await browser.close();
  });

  it('shows every job, follows them live, and controls them with its buttons', async () => {
    const dashboard = await openDashboard({ pools: [pool] });
    const page = await browser.newPage();
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(message.text());
    });
    await page.goto(dashboard.url);

    await waitForStatus(page, 'batch-import', 'running');
    // The heartbeat's status changes on the page as its runs start and end.
    await waitForStatus(page, 'heartbeat', 'running');
    await waitForStatus(page, 'heartbeat', 'waiting');

    await click(page, 'batch-import', 'pause');
    await waitForStatus(page, 'batch-import', 'paused');
    await until(() => batch.pausedAtStep !== undefined);
    await sleep(400);
    expect(pool.getMetrics()['batch-import']?.status).toBe('paused');
    expect(batch.step).toBe(batch.pausedAtStep);

    await click(page, 'batch-import', 'resume');
    await waitForStatus(page, 'batch-import', 'running');
    await until(() => batch.step > (batch.pausedAtStep ?? 0));
    expect(batch.resumedAfterPause).toBe(1);

    await page.locator(`${rowOf('batch-import')} details summary`).click();
    await sleep(1_200);
    mkdirSync('test-output', { recursive: true });
    await page.screenshot({ path: SCREENSHOT_PATH, fullPage: true });
    expect(problems).toEqual([]);
    await page.close();
  });

  it('asks before a stop, and runs a job now', async () => {
    const dashboard = await openDashboard({ pools: [pool] });
    const page = await browser.newPage();
    await page.goto(dashboard.url);
    await waitForStatus(page, 'nightly-report', 'waiting');

    await click(page, 'nightly-report', 'stop');
    await page.locator('#confirm-cancel').click();
    await sleep(200);
    expect(await statusText(page, 'nightly-report')).toBe('waiting');

    await click(page, 'nightly-report', 'stop');
    const question = await page.locator('#confirm-text').textContent();
    await page.locator('#confirm-ok').click();
    await waitForStatus(page, 'nightly-report', 'stopped');
    expect(question).toContain('nightly-report');
    expect(pool.getMetrics()['nightly-report']?.status).toBe('stopped');

    await click(page, 'nightly-report', 'resume');
    await waitForStatus(page, 'nightly-report', 'waiting');
    const successBefore = pool.getMetrics()['nightly-report']?.success ?? 0;
    await click(page, 'nightly-report', 'run');
    const successCount = page.locator(`${rowOf('nightly-report')} td:nth-child(5) span`, {
      hasText: `\u2713 ${successBefore + 1}`,
    });
    await successCount.waitFor({ timeout: 5_000 });

    // A browser collapses '..' in a path, even percent-encoded: the page must still reach it.
    // Its first run may still be going on a loaded machine; the one asked for comes after.
    await waitForStatus(page, '..', 'waiting');
    const dotsBefore = pool.getMetrics()['..']?.success ?? 0;
    await click(page, '..', 'run');
    const dotsRan = page.locator(`${rowOf('..')} td:nth-child(5) span`, {
      hasText: `\u2713 ${dotsBefore + 1}`,
    });
    await dotsRan.waitFor({ timeout: 5_000 });
    await page.close();
  });

  it('writes names and data that hold HTML as text, injecting no element', async () => {
    const dashboard = await openDashboard({ pools: [pool] });
    const page = await browser.newPage();
    await page.goto(dashboard.url);
    const row = page.locator(rowOf(HOSTILE_ID));
    await row.waitFor({ timeout: 5_000 });

    const shown = {
      name: await row.locator('.job-name').textContent(),
      jobId: await row.locator('.job-id').textContent(),
      data: await row.locator('pre').textContent(),
      injected: await page.evaluate('typeof window.__injected'),
      elements: await page.locator('#injected-name, #injected-data, main img, main script').count(),
    };

    expect(shown).toEqual({
      name: HOSTILE_NAME,
      jobId: HOSTILE_ID,
      data: JSON.stringify({ note: HOSTILE_DATA }, null, 2),
      injected: 'undefined',
      elements: 0,
    });
    await page.close();
  });

  it('refuses control requests that a page of another origin sends', async () => {
    const lines: [string, LogMeta | undefined][] = [];
    const dashboard = await openDashboard({ pools: [pool], logger: debugRecorder(lines) });
    const target = `${dashboard.url}api/pools/reports/jobs/heartbeat/stop`;
    const elsewhere = await serveElsewhere(`<!doctype html><title>elsewhere</title>
      <form id="f" method="POST" action="${target}"></form>
      <script>
        const done = Promise.allSettled([
          fetch('${target}', { method: 'POST', headers: { 'X-Orbit-Dashboard': '1' } }),
          fetch('${target}', { method: 'POST', mode: 'no-cors' }),
        ]);
        done.then(() => { document.title = 'sent'; });
      </script>`);
    const page = await browser.newPage();

    await page.goto(elsewhere.url);
    await page.waitForFunction("document.title === 'sent'", undefined, { timeout: 5_000 });
    await page.evaluate("document.getElementById('f').submit()");
    await page.waitForURL(target, { timeout: 5_000 });
    await page.close();
    elsewhere.server.closeAllConnections();
    await new Promise((resolve) => elsewhere.server.close(resolve));

    expect(pool.getMetrics().heartbeat?.status).not.toBe('stopped');
    // The CORS preflight of the fetch with the header, the no-cors fetch, the form.
    const refusals = lines
      .filter(([message]) => message === 'dashboard request refused')
      .map(([, meta]) => `${String(meta?.method)} ${String(meta?.code)}`)
      .sort();
    expect(refusals).toEqual([
      'OPTIONS CROSS_SITE_REFUSED',
      'POST CROSS_SITE_REFUSED',
      'POST CROSS_SITE_REFUSED',
    ]);
  });

  it('asks for the token of a guarded dashboard, then works with it', async () => {
    const token = 'browser-test-token-0123456789';
    const dashboard = await openDashboard({ pools: [pool], token });
    const page = await browser.newPage();
    await page.goto(dashboard.url);

    await page.locator('#login').waitFor({ state: 'visible', timeout: 5_000 });
    await page.locator('#token-input').fill(token);
    await page.locator('#login button[type="submit"]').click();

    await waitForStatus(page, 'heartbeat', 'running');
    expect(await page.locator('#login').isVisible()).toBe(false);
    await page.close();
  });
});
