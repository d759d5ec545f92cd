import { isOrbitError } from '../errors/orbit-error.js';
import type { ErrorCode } from '../errors/error-codes.js';

/**
 * The codes the dashboard's HTTP API answers with besides Orbit's own error codes, each
 * with its status and meaning. The README's table of them is kept in step by a test.
 */
export const HTTP_PROBLEMS = {
  BAD_REQUEST: [400, 'The request path is not valid percent-encoding.'],
  UNAUTHORIZED: [401, 'The request carries no `Authorization: Bearer` token.'],
  TOKEN_REFUSED: [403, 'The request carries a token, but not the right one.'],
  HOST_REFUSED: [403, 'The `Host` header names no loopback address (DNS rebinding).'],
  CROSS_SITE_REFUSED: [403, 'A change lacks the dashboard header or comes from elsewhere.'],
  NOT_FOUND: [404, 'No such page, asset or API route.'],
  POOL_NOT_FOUND: [404, 'No pool with this id is shown on the dashboard.'],
  METHOD_NOT_ALLOWED: [405, 'The route exists, but not for this method.'],
  INTERNAL_ERROR: [500, 'The dashboard failed to answer; the details are in its log.'],
} as const satisfies Record<string, readonly [number, string]>;

/** A code of {@link HTTP_PROBLEMS}. */
export type HttpProblemCode = keyof typeof HTTP_PROBLEMS;

/** What an Orbit error means over HTTP; codes not listed are 400. */
const ORBIT_ERROR_STATUS: Partial<Record<ErrorCode, number>> = {
  JOB_NOT_FOUND: 404,
  JOB_NOT_RUNNING: 409,
  JOB_ALREADY_PAUSED: 409,
  JOB_NOT_PAUSED_OR_STOPPED: 409,
  JOB_ALREADY_RUNNING: 409,
  JOB_NOT_RUNNABLE: 409,
  POOL_SHUTDOWN: 409,
  STORE_UNAVAILABLE: 503,
};

/** An error answer of the API: a status, and a body `{ code, message }`. */
export class HttpProblem extends Error {
  override readonly name = 'HttpProblem';
  readonly status: number;
  readonly code: string;

  constructor(status: number, code: string, message: string) {
    super(message);
    this.status = status;
    this.code = code;
  }

  /** A problem of {@link HTTP_PROBLEMS}; `message` defaults to the catalogue's meaning. */
  static of(code: HttpProblemCode, message?: string): HttpProblem {
    const [status, meaning] = HTTP_PROBLEMS[code];
    return new HttpProblem(status, code, message ?? meaning.replace(/`/g, ''));
  }

  /**
   * What a failed pool call means over HTTP: an {@link OrbitError} keeps its code and
   * message; anything else is an internal error whose details stay out of the answer.
   */
  static fromThrown(thrown: unknown): HttpProblem {
    if (!isOrbitError(thrown)) return HttpProblem.of('INTERNAL_ERROR');
    return new HttpProblem(ORBIT_ERROR_STATUS[thrown.code] ?? 400, thrown.code, thrown.message);
  }

  /** The JSON body. */
  toJSON(): { code: string; message: string } {
    return { code: this.code, message: this.message };
  }
}
