import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { HttpProblem } from './http-problem.js';
import { isLoopbackHostHeader } from './loopback.js';

/**
 * The header every state-changing request must carry. A page of another origin can only
 * send it after a CORS preflight, which this server never grants.
 */
export const DASHBOARD_HEADER = 'x-orbit-dashboard';

/** What the guard checks, from the dashboard's options. */
export interface GuardSettings {
  readonly token: string | undefined;
  /** On loopback, a `Host` that names anything else is refused (DNS rebinding). */
  readonly onLoopback: boolean;
}

/**
 * Decides whether a request may go on, before any route sees it.
 *
 * - On loopback, the `Host` header must name a loopback address: a page served from a
 *   name that resolves to 127.0.0.1 sends that name, and is refused.
 * - With a token, the API and the event stream need `Authorization: Bearer <token>`,
 *   compared in constant time. The page and its assets hold no data and need none.
 * - A state-changing request must carry {@link DASHBOARD_HEADER}, and when the browser
 *   says where it comes from (`Origin`, `Sec-Fetch-Site`), it must be this origin.
 */
export class RequestGuard {
  readonly #tokenDigest: Buffer | undefined;
  readonly #onLoopback: boolean;

  constructor(settings: GuardSettings) {
    this.#tokenDigest = settings.token === undefined ? undefined : digest(settings.token);
    this.#onLoopback = settings.onLoopback;
  }

  /** Whether requests need the token. */
  get needsToken(): boolean {
    return this.#tokenDigest !== undefined;
  }

  /** Why `request` is refused, or `undefined` when it may go on. */
  refusal(
    request: IncomingMessage,
    access: { readonly data: boolean; readonly changesState: boolean },
  ): HttpProblem | undefined {
    if (this.#onLoopback && !isLoopbackHostHeader(request.headers.host)) {
      return HttpProblem.of('HOST_REFUSED');
    }
    if (access.data && this.#tokenDigest !== undefined) {
      const problem = this.#tokenRefusal(request.headers.authorization, this.#tokenDigest);
      if (problem !== undefined) return problem;
    }
    return access.changesState ? crossSiteRefusal(request) : undefined;
  }

  #tokenRefusal(authorization: string | undefined, expected: Buffer): HttpProblem | undefined {
    const given = /^Bearer +(\S+) *$/i.exec(authorization ?? '')?.[1];
    if (given === undefined) return HttpProblem.of('UNAUTHORIZED');
    return timingSafeEqual(digest(given), expected) ? undefined : HttpProblem.of('TOKEN_REFUSED');
  }
}

function crossSiteRefusal(request: IncomingMessage): HttpProblem | undefined {
  const { headers } = request;
  if (headers[DASHBOARD_HEADER] === undefined) {
    return HttpProblem.of('CROSS_SITE_REFUSED', `the request lacks the ${DASHBOARD_HEADER} header`);
  }

  const site = headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin') {
    return HttpProblem.of('CROSS_SITE_REFUSED', `the request comes from a ${site} page`);
  }
  const origin = headers.origin;
  const host = headers.host ?? '';
  // Behind a proxy that ends TLS, the page's origin is https with the same host.
  if (origin !== undefined && origin !== `http://${host}` && origin !== `https://${host}`) {
    return HttpProblem.of('CROSS_SITE_REFUSED', 'the request comes from another origin');
  }
  return undefined;
}

/**
 * Tokens are compared as SHA-256 digests: equal lengths for `timingSafeEqual`, and the
 * time taken says nothing about the token's length or content.
 */
function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}
