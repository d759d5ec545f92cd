import type { IncomingMessage, ServerResponse } from 'node:http';
import { isOrbitError } from '../errors/orbit-error.js';
import type { DashboardFeed } from './dashboard-feed.js';
import type { ResolvedDashboardOptions } from './dashboard-options.js';
import { routeOf, ROUTE_METHODS, servesData, type Route } from './dashboard-routes.js';
import type { EventStream } from './event-stream.js';
import { formatDuration } from '../time/format-duration.js';
import { HttpProblem } from './http-problem.js';
import { sendJson, sendProblem, sendText } from './http-responses.js';
import { isJobAction, performJobAction } from './job-actions.js';
import { PAGE_ASSETS, PAGE_HTML } from './page/page-assets.js';
import type { RequestGuard } from './request-guard.js';

/** What the request handler works with. */
export interface HandlerContext {
  readonly options: ResolvedDashboardOptions;
  readonly feed: DashboardFeed;
  readonly stream: EventStream;
  readonly guard: RequestGuard;
}

/** The server's request listener: guard, route, answer; failures become JSON errors. */
export function createRequestHandler(
  context: HandlerContext,
): (request: IncomingMessage, response: ServerResponse) => void {
  return (request, response) => {
    // Bodies are never read: every route takes its input from the path.
    request.resume();
    try {
      handle(context, request, response);
    } catch (thrown) {
      const problem = thrown instanceof HttpProblem ? thrown : internalError(context, thrown);
      if (response.headersSent) response.destroy();
      else sendProblem(response, problem);
    }
  };
}

function handle(context: HandlerContext, request: IncomingMessage, response: ServerResponse) {
  const method = request.method ?? 'GET';
  const route = routeOf(request.url);
  const changesState = method !== 'GET' && method !== 'HEAD';
  const refusal = context.guard.refusal(request, { data: servesData(route), changesState });
  if (refusal !== undefined) {
    context.options.logger.debug('dashboard request refused', { method, code: refusal.code });
    const challenge: Record<string, string> =
      refusal.status === 401 ? { 'WWW-Authenticate': 'Bearer' } : {};
    sendProblem(response, refusal, challenge);
    return;
  }

  if (route === undefined) throw HttpProblem.of('NOT_FOUND');
  const allowed = ROUTE_METHODS[route.kind];
  if (!allowed.includes(method)) {
    sendProblem(response, HttpProblem.of('METHOD_NOT_ALLOWED'), { Allow: allowed.join(', ') });
    return;
  }

  answer(context, route, method, response);
}

function answer(context: HandlerContext, route: Route, method: string, response: ServerResponse) {
  const { feed, stream } = context;
  switch (route.kind) {
    case 'page':
      sendText(response, 'text/html; charset=utf-8', PAGE_HTML, method !== 'HEAD');
      return;
    case 'asset': {
      const asset = PAGE_ASSETS.get(route.name);
      if (asset === undefined) throw HttpProblem.of('NOT_FOUND');
      sendText(response, asset.contentType, asset.body, method !== 'HEAD');
      return;
    }
    case 'pools':
      sendJson(response, 200, feed.snapshot());
      return;
    case 'events':
      stream.open(response, 'snapshot', () => feed.openingSnapshot());
      return;
    case 'job-action':
      controlJob(context, route, response);
  }
}

function controlJob(
  context: HandlerContext,
  route: Extract<Route, { kind: 'job-action' }>,
  response: ServerResponse,
): void {
  const { options, feed } = context;
  const { poolId, jobId, action } = route;
  const pool = options.pools.get(poolId);
  if (pool === undefined) {
    throw HttpProblem.of('POOL_NOT_FOUND', `no pool with id '${poolId}' is on the dashboard`);
  }
  if (!isJobAction(action)) throw HttpProblem.of('NOT_FOUND', `no job action '${action}'`);

  try {
    performJobAction(pool, jobId, action, options.pauseTimeoutMs);
  } catch (thrown) {
    throw isOrbitError(thrown) ? HttpProblem.fromThrown(thrown) : internalError(context, thrown);
  }

  options.logger.info('job controlled from the dashboard', { pool: poolId, jobId, action });
  feed.jobTouched(poolId, jobId);
  const note = action === 'pause' ? pauseNote(options.pauseTimeoutMs) : undefined;
  sendJson(response, 200, { job: feed.jobView(pool, jobId) ?? null, ...(note && { note }) });
}

/** An unexpected failure: logged in full, answered without details. */
function internalError(context: HandlerContext, thrown: unknown): HttpProblem {
  context.options.logger.error('a dashboard request failed', { error: thrown });
  return HttpProblem.of('INTERNAL_ERROR');
}

/**
 * What a pause button does, said plainly: the job shows `paused` at once, but its run
 * stops only at its next `checkpoint()`, and a run that reaches none goes on.
 */
function pauseNote(pauseTimeoutMs: number): string {
  return (
    'pause requested: it takes effect when the run reaches checkpoint(); a run that ' +
    `reaches none within ${formatDuration(pauseTimeoutMs)} goes on, and the pause is withdrawn`
  );
}
