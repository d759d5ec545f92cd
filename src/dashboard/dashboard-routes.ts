import { HttpProblem } from './http-problem.js';

/** What a request asks for, once its path is read. */
export type Route =
  | { readonly kind: 'page' }
  | { readonly kind: 'asset'; readonly name: string }
  | { readonly kind: 'pools' }
  | { readonly kind: 'events' }
  | {
      readonly kind: 'job-action';
      readonly poolId: string;
      readonly jobId: string;
      readonly action: string;
    };

/** The methods each kind of route answers. */
export const ROUTE_METHODS: Readonly<Record<Route['kind'], readonly string[]>> = {
  page: ['GET', 'HEAD'],
  asset: ['GET', 'HEAD'],
  pools: ['GET'],
  events: ['GET'],
  'job-action': ['POST'],
};

/** Whether a route serves pool data or control, which a token guards. */
export function servesData(route: Route | undefined): boolean {
  return route !== undefined && route.kind !== 'page' && route.kind !== 'asset';
}

/**
 * The route of a request target (`/api/pools/:pool/jobs/:job/:action`, ...), or
 * `undefined` when there is none. Path segments are percent-decoded, so ids may hold
 * any character, but a client that follows URL rules (a browser, `fetch`) collapses an
 * id of `.` or `..`, even percent-encoded: `/api/actions/:action?pool=ID&job=ID` carries
 * the ids in the query instead, where every id arrives as it is.
 *
 * @throws HttpProblem `BAD_REQUEST` for a path that is not valid percent-encoding, or
 * an action in the query form without both ids.
 */
export function routeOf(target: string | undefined): Route | undefined {
  const segments = segmentsOf(target ?? '/');
  if (segments.length === 3 && segments[0] === 'api' && segments[1] === 'actions') {
    return queryAction(target ?? '/', segments[2] ?? '');
  }
  const [first, second, poolId, jobs, jobId, action, ...rest] = segments;
  if (segments.length === 0) return { kind: 'page' };
  if (segments.length === 1 && first === 'events') return { kind: 'events' };
  if (segments.length === 2 && first === 'assets' && second !== undefined) {
    return { kind: 'asset', name: second };
  }
  if (first !== 'api' || second !== 'pools') return undefined;
  if (segments.length === 2) return { kind: 'pools' };

  const isAction = jobs === 'jobs' && action !== undefined && rest.length === 0;
  if (!isAction || poolId === undefined || jobId === undefined) return undefined;
  return { kind: 'job-action', poolId, jobId, action };
}

function queryAction(target: string, action: string): Route {
  const query = new URLSearchParams(target.split('?')[1] ?? '');
  const poolId = query.get('pool');
  const jobId = query.get('job');
  if (poolId === null || jobId === null) {
    throw HttpProblem.of('BAD_REQUEST', 'a job action needs the pool and job query parameters');
  }
  return { kind: 'job-action', poolId, jobId, action };
}

function segmentsOf(target: string): string[] {
  const path = target.split('?')[0] ?? '';
  if (path === '/') return [];

  try {
    return path.split('/').slice(1).map(decodeURIComponent);
  } catch {
    throw HttpProblem.of('BAD_REQUEST');
  }
}
