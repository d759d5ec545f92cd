import { afterEach } from 'vitest';
import {
  startDashboard,
  type Dashboard,
  type DashboardOptions,
} from '../../src/dashboard/index.js';
import type { DashboardSnapshot, JobView } from '../../src/dashboard/index.js';
import { httpRequest, type HttpAnswer } from '../support/http-client.js';

const opened: Dashboard[] = [];

afterEach(async () => {
  await Promise.all(opened.splice(0).map((dashboard) => dashboard.close()));
});

/** Starts a dashboard on a free loopback port; it is closed after the test. */
export async function openDashboard(
  options: Omit<DashboardOptions, 'port'> & { port?: number },
): Promise<Dashboard> {
  const dashboard = await startDashboard({ port: 0, ...options });
  opened.push(dashboard);
  return dashboard;
}

/** A control call as the page makes it: POST with the dashboard header. */
export function control(
  dashboard: Dashboard,
  poolId: string,
  jobId: string,
  action: string,
  headers: Record<string, string> = {},
): Promise<HttpAnswer> {
  const path = `api/pools/${encodeURIComponent(poolId)}/jobs/${encodeURIComponent(jobId)}`;
  return httpRequest(`${dashboard.url}${path}/${action}`, {
    method: 'POST',
    headers: { 'X-Orbit-Dashboard': '1', ...headers },
  });
}

/** The job view in a successful control answer. */
export function jobOf(answer: HttpAnswer): JobView {
  return (answer.json() as { job: JobView }).job;
}

/** The dashboard's snapshot of its pools, as `GET /api/pools` answers. */
export async function snapshotOf(url: string): Promise<DashboardSnapshot> {
  return (await httpRequest(`${url}api/pools`)).json() as DashboardSnapshot;
}

/** A job's view in a snapshot. */
export function jobIn(
  snapshot: DashboardSnapshot,
  poolId: string,
  jobId: string,
): JobView | undefined {
  return snapshot.pools.find((pool) => pool.id === poolId)?.jobs.find((job) => job.id === jobId);
}

/** Asks the dashboard at `url` again until `isDone` holds, for up to 10 s of real time. */
export async function snapshotUntil(
  url: string,
  isDone: (snapshot: DashboardSnapshot) => boolean,
): Promise<DashboardSnapshot> {
  const giveUpAt = Date.now() + 10_000;
  for (;;) {
    const snapshot = await snapshotOf(url);
    if (isDone(snapshot) || Date.now() > giveUpAt) return snapshot;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
