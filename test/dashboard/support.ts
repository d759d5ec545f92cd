import { afterEach } from 'vitest';
import {
  startDashboard,
  type Dashboard,
  type DashboardOptions,
} from '../../src/dashboard/index.js';
import type { JobView } from '../../src/dashboard/index.js';
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
