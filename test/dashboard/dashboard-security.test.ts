import { describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY } from '../../src/dashboard/http-responses.js';
import { startDashboard } from '../../src/dashboard/index.js';
import { expectRejection } from '../support/expect-error.js';
import { createHarness, intervalJob, stateOf } from '../support/harness.js';
import { httpRequest } from '../support/http-client.js';
import { ControlCapture } from '../support/job-fns.js';
import { control, openDashboard } from './support.js';

const TOKEN = 'k3y-for-the-dashboard-tests-only';

/** A pool on a fake clock whose one job is running. */
async function poolWithRunningJob() {
  const { clock, pool } = createHarness({ pool: { id: 'reports' } });
  pool.addJob(intervalJob('import', new ControlCapture().fn, '1h'));
  pool.run();
  await clock.flush();
  return pool;
}

/** The dashboard's own address on 127.0.0.1, whatever address it listens on. */
function viaLoopback(url: string): string {
  return url.replace(/^http:\/\/[^/]+:(\d+)\//, 'http://127.0.0.1:$1/');
}

describe('a dashboard reachable from other machines', () => {
  it.each(['0.0.0.0', '::', '10.1.2.3', 'dashboard.internal'])(
    'refuses to listen on %s without a token',
    async (host) => {
      const pool = await poolWithRunningJob();

      const error = await expectRejection(
        startDashboard({ pools: [pool], host, port: 0 }),
        'INVALID_CONFIG',
      );

      expect(error.message).toContain('token');
    },
  );

  it('refuses a token shorter than 16 characters', async () => {
    const pool = await poolWithRunningJob();
    const start = startDashboard({ pools: [pool], host: '0.0.0.0', port: 0, token: 'short' });

    await expectRejection(start, 'INVALID_CONFIG');
  });

  it('refuses a state-changing request without the token with 401', async () => {
    const pool = await poolWithRunningJob();
    const dashboard = await openDashboard({ pools: [pool], host: '0.0.0.0', token: TOKEN });

    const answer = await control(
      { ...dashboard, url: viaLoopback(dashboard.url) },
      'reports',
      'import',
      'stop',
    );

    expect(answer.problem()).toEqual([401, 'UNAUTHORIZED']);
    expect(answer.headers['www-authenticate']).toBe('Bearer');
    expect(stateOf(pool, 'import').status).toBe('running');
  });

  it.each([
    ['of the same length', TOKEN.replace(/.$/, 'X')],
    ['shorter', TOKEN.slice(0, -1)],
    ['longer', `${TOKEN}X`],
  ])('refuses a wrong token %s with 403', async (_kind, token) => {
    const pool = await poolWithRunningJob();
    const dashboard = await openDashboard({ pools: [pool], host: '0.0.0.0', token: TOKEN });
    const url = viaLoopback(dashboard.url);

    const answer = await control({ ...dashboard, url }, 'reports', 'import', 'stop', {
      Authorization: `Bearer ${token}`,
    });

    expect(answer.problem()).toEqual([403, 'TOKEN_REFUSED']);
    expect(stateOf(pool, 'import').status).toBe('running');
  });

  it('carries out a request with the right token', async () => {
    const pool = await poolWithRunningJob();
    const dashboard = await openDashboard({ pools: [pool], host: '0.0.0.0', token: TOKEN });
    const url = viaLoopback(dashboard.url);

    const answer = await control({ ...dashboard, url }, 'reports', 'import', 'stop', {
      Authorization: `Bearer ${TOKEN}`,
    });

    expect(answer.status).toBe(200);
    expect(stateOf(pool, 'import').status).toBe('stopped');
  });

  it.each(['api/pools', 'events'])('shows no job data at %s without the token', async (path) => {
    const pool = await poolWithRunningJob();
    const dashboard = await openDashboard({ pools: [pool], host: '0.0.0.0', token: TOKEN });

    const answer = await httpRequest(`${viaLoopback(dashboard.url)}${path}`);

    expect(answer.problem()).toEqual([401, 'UNAUTHORIZED']);
    expect(answer.text).not.toContain('import');
  });

  it('serves the page itself, which holds no data, without the token', async () => {
    const pool = await poolWithRunningJob();
    const dashboard = await openDashboard({ pools: [pool], host: '0.0.0.0', token: TOKEN });

    const answer = await httpRequest(viaLoopback(dashboard.url));

    expect(answer.status).toBe(200);
    expect(answer.text).toContain('<title>Orbit dashboard</title>');
    expect(answer.text).not.toContain('import');
  });

  it('also checks a token given to a dashboard on loopback', async () => {
    const pool = await poolWithRunningJob();
    const dashboard = await openDashboard({ pools: [pool], token: TOKEN });

    const answer = await control(dashboard, 'reports', 'import', 'stop');

    expect(answer.problem()).toEqual([401, 'UNAUTHORIZED']);
  });
});

describe('a dashboard on loopback without a token', () => {
  it('refuses a state-changing request without the dashboard header', async () => {
    const pool = await poolWithRunningJob();
    const dashboard = await openDashboard({ pools: [pool] });

    const answer = await httpRequest(`${dashboard.url}api/pools/reports/jobs/import/stop`, {
      method: 'POST',
    });

    expect(answer.problem()).toEqual([403, 'CROSS_SITE_REFUSED']);
    expect(stateOf(pool, 'import').status).toBe('running');
  });

  it.each([
    ['another origin', { Origin: 'http://evil.example' }],
    ['a cross-site page', { 'Sec-Fetch-Site': 'cross-site' }],
    ['a same-site page of another port', { 'Sec-Fetch-Site': 'same-site' }],
  ])('refuses a state-changing request from %s', async (_from, headers) => {
    const pool = await poolWithRunningJob();
    const dashboard = await openDashboard({ pools: [pool] });

    const answer = await control(dashboard, 'reports', 'import', 'stop', headers);

    expect(answer.problem()).toEqual([403, 'CROSS_SITE_REFUSED']);
    expect(stateOf(pool, 'import').status).toBe('running');
  });

  it('carries out a request from its own page', async () => {
    const pool = await poolWithRunningJob();
    const dashboard = await openDashboard({ pools: [pool] });
    const origin = dashboard.url.replace(/\/$/, '');

    const answer = await control(dashboard, 'reports', 'import', 'stop', {
      Origin: origin,
      'Sec-Fetch-Site': 'same-origin',
    });

    expect(answer.status).toBe(200);
    expect(stateOf(pool, 'import').status).toBe('stopped');
  });

  it.each(['api/pools', 'events', ''])(
    'refuses /%s to a page whose host name only resolves to loopback',
    async (path) => {
      const pool = await poolWithRunningJob();
      const dashboard = await openDashboard({ pools: [pool] });
      const port = new URL(dashboard.url).port;

      const answer = await httpRequest(`${dashboard.url}${path}`, {
        headers: { Host: `rebound.example:${port}` },
      });

      expect(answer.problem()).toEqual([403, 'HOST_REFUSED']);
    },
  );

  it.each(['localhost', '127.0.0.1', '[::1]'])('answers requests for host %s', async (host) => {
    const pool = await poolWithRunningJob();
    const dashboard = await openDashboard({ pools: [pool] });
    const port = new URL(dashboard.url).port;

    const answer = await httpRequest(`${dashboard.url}api/pools`, {
      headers: { Host: `${host}:${port}` },
    });

    expect(answer.status).toBe(200);
  });

  it('listens on IPv6 loopback and gives its address in brackets', async () => {
    const pool = await poolWithRunningJob();
    const dashboard = await openDashboard({ pools: [pool], host: '::1' });

    const answer = await httpRequest(`${dashboard.url}api/pools`);

    expect(dashboard.url).toMatch(/^http:\/\/\[::1\]:\d+\/$/);
    expect(answer.status).toBe(200);
  });
});

describe('every dashboard answer', () => {
  it.each(['', 'assets/dashboard.js', 'api/pools', 'api/missing'])(
    'carries a strict Content-Security-Policy and no-sniff: /%s',
    async (path) => {
      const pool = await poolWithRunningJob();
      const dashboard = await openDashboard({ pools: [pool] });

      const answer = await httpRequest(`${dashboard.url}${path}`);

      expect(answer.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
      expect(answer.headers['x-content-type-options']).toBe('nosniff');
      expect(answer.headers['x-frame-options']).toBe('DENY');
    },
  );

  it('allows scripts, styles and connections to this origin only, and no inline code', () => {
    const directives = new Map(
      CONTENT_SECURITY_POLICY.split('; ').map((directive) => {
        const [name, ...values] = directive.split(' ');
        return [name, values.join(' ')];
      }),
    );

    expect(directives.get('default-src')).toBe("'none'");
    expect(directives.get('script-src')).toBe("'self'");
    expect(directives.get('style-src')).toBe("'self'");
    expect(directives.get('connect-src')).toBe("'self'");
    expect(directives.get('frame-ancestors')).toBe("'none'");
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe|\*/);
  });
});
