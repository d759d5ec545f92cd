import { existsSync } from 'node:fs';
import { dirname } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startOrbit } from '../support/orbit-process.js';

// `npm start` as the README says to run it, piped as in CI, on the real clock: it serves
// the dashboard, runs the demo jobs for a bounded time, and ends by itself.

const DEMO_SECONDS = 9;

interface PoolsAnswer {
  pools: { id: string; jobs: { id: string; status: string; data: string }[] }[];
}

describe('npm start', () => {
  it(
    'serves the dashboard at the address it prints first, runs the demo and ends by itself',
    async () => {
      const demo = startOrbit(['--dashboard', '127.0.0.1:0'], {
        npmScript: 'start',
        env: { ORBIT_DEMO_SECONDS: String(DEMO_SECONDS) },
      });
      const first = await demo.waitFor(() => true);
      expect(first).toMatchObject({ msg: 'dashboard listening' });
      const url = String(first.url);
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);

      const page = await fetch(url);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('<title>Orbit dashboard</title>');

      await demo.waitFor((record) => record.event === 'run:succeeded' && record.jobId === 'report');
      const answer = (await (await fetch(new URL('/api/pools', url))).json()) as PoolsAnswer;
      const demoPool = answer.pools.find((pool) => pool.id === 'demo');
      expect(demoPool?.jobs.map((job) => job.id).sort()).toEqual(['check', 'report', 'scan']);
      const report = demoPool?.jobs.find((job) => job.id === 'report');
      const summaryFile = String((JSON.parse(report?.data ?? '{}') as { file?: string }).file);
      expect(summaryFile).toMatch(/orbit-demo-[^/]+\/summary\.json$/);
      expect(existsSync(summaryFile)).toBe(true);

      const { code, stderr } = await demo.exited;
      expect(stderr).toBe('');
      expect(code).toBe(0);
      const succeeded = (jobId: string) =>
        demo.records.filter((record) => record.event === 'run:succeeded' && record.jobId === jobId);
      expect(succeeded('scan')).toHaveLength(1);
      expect(succeeded('check').length).toBeGreaterThanOrEqual(1);
      // The check starts after the first summary is written: no run of it fails here.
      expect(demo.records.filter((record) => record.event === 'run:failed')).toEqual([]);
      const ended = demo.records.filter((record) => record.event === 'job:ended');
      expect(ended.map((record) => record.jobId).sort()).toEqual(['check', 'report', 'scan']);
      expect(demo.records.at(-1)).toMatchObject({ msg: 'orbit stopped', aborted: 0 });
      // Each run writes its summary in a folder of its own, gone once the demo is over.
      expect(existsSync(dirname(summaryFile))).toBe(false);
    },
    DEMO_SECONDS * 1_000 + 20_000,
  );
});
