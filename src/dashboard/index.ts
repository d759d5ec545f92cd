export { startDashboard, type Dashboard } from './start-dashboard.js';
export type { DashboardOptions } from './dashboard-options.js';
export type { DashboardPool } from './dashboard-pool.js';
export type { DashboardSnapshot, DashboardUpdate, PoolUpdate, PoolView } from './dashboard-feed.js';
export type { JobView, LastRunView, RecentRunView } from './job-view.js';
export type { ErrorView, RunOutcome } from './run-history.js';
export { HTTP_PROBLEMS, type HttpProblemCode } from './http-problem.js';
export { DASHBOARD_HEADER } from './request-guard.js';
export type { FleetStore } from './fleet-watch.js';
