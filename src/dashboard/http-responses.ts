import type { ServerResponse } from 'node:http';
import type { HttpProblem } from './http-problem.js';

/**
 * The page loads its script, style and icon from this server only, runs no inline
 * script or style, talks to no other origin, and cannot be framed.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** Headers of every answer. */
const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Cache-Control': 'no-store',
};

/** Writes the status and headers, the security headers first. */
export function writeHead(
  response: ServerResponse,
  status: number,
  headers: Readonly<Record<string, string>>,
): void {
  response.writeHead(status, { ...SECURITY_HEADERS, ...headers });
}

/** Answers with `body` as JSON. */
export function sendJson(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  writeHead(response, status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': String(Buffer.byteLength(text)),
  });
  response.end(text);
}

/** Answers with an error as JSON `{ code, message }`, and the headers it calls for. */
export function sendProblem(
  response: ServerResponse,
  problem: HttpProblem,
  headers: Readonly<Record<string, string>> = {},
): void {
  for (const [name, value] of Object.entries(headers)) response.setHeader(name, value);
  sendJson(response, problem.status, problem);
}

/** Answers with a text body of the given type; a `HEAD` request gets the headers only. */
export function sendText(
  response: ServerResponse,
  contentType: string,
  body: string,
  withBody: boolean,
): void {
  writeHead(response, 200, {
    'Content-Type': contentType,
    'Content-Length': String(Buffer.byteLength(body)),
  });
  response.end(withBody ? body : undefined);
}
