import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/run-cli.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

interface CliRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the CLI from source as a child process (`tsx src/cli/main.ts ...`), as a shell would. */
function orbit(...args: string[]): CliRun {
  const run = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, TZ: 'UTC' },
    timeout: 60_000,
  });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

/** Runs the same dispatcher in this process, for the cases that need no real process. */
async function orbitInProcess(...args: string[]): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const status = await runCli(args, {
    out: (line) => (stdout += `${line}\n`),
    err: (line) => (stderr += `${line}\n`),
  });
  return { status, stdout, stderr };
}

describe('orbit next', () => {
  it('prints fire times in the zone and in UTC, and why a DST gap moves one', () => {
    const run = orbit(
      'next',
      '30 2 * * *',
      '--tz',
      'America/New_York',
      '--from',
      '2021-03-13T12:00:00-05:00',
      '-n',
      '3',
    );

    expect(run.status).toBe(0);
    expect(run.stderr).toBe('');
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('30 2 * * * (America/New_York): at 02:30, every day');
    expect(lines.slice(3)).toEqual([
      '  2021-03-14 03:00:00 -04:00  2021-03-14T07:00:00Z  on 2021-03-14 at 03:00 because 02:30 ' +
        'does not exist (clocks go forward from 02:00 to 03:00)',
      '  2021-03-15 02:30:00 -04:00  2021-03-15T06:30:00Z',
      '  2021-03-16 02:30:00 -04:00  2021-03-16T06:30:00Z',
    ]);
  });

  it('reads the expression in the local zone and lists five times by default', () => {
    const run = orbit('next', '@daily', '--from', '2026-01-01T00:00:00Z');

    expect(run.status).toBe(0);
    expect(run.stdout).toContain('@daily (UTC): at 00:00, every day');
    expect(run.stdout.match(/T00:00:00Z/g)).toHaveLength(5);
  });

  it('refuses a bad expression with its code and no stack trace', () => {
    const run = orbit('next', '*/90 * * * *');

    expect(run.status).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr.trimEnd()).toBe(
      "orbit: INVALID_CRON: cron minute field '*/90': step 90 is wider than the field's 60 values",
    );
  });

  it('refuses an unknown zone, a bad count and an instant without offset', async () => {
    const badZone = await orbitInProcess('next', '* * * * *', '--tz', 'Mars/Olympus');
    const badCount = await orbitInProcess('next', '* * * * *', '-n', 'many');
    const badFrom = await orbitInProcess('next', '* * * * *', '--from', '2026-01-01T09:00');

    expect([badZone.status, badCount.status, badFrom.status]).toEqual([1, 1, 1]);
    expect(badZone.stderr).toMatch(/^orbit: INVALID_TIMEZONE: timezone 'Mars\/Olympus'/);
    expect(badCount.stderr).toMatch(/^orbit: INVALID_CONFIG: -n must be a whole number/);
    expect(badFrom.stderr).toMatch(/^orbit: WRONG_TIME: --from must be an ISO 8601 instant/);
  });

  it('says when an expression never fires', async () => {
    const run = await orbitInProcess('next', '0 0 30 2 *', '--tz', 'UTC');

    expect(run.status).toBe(0);
    expect(run.stdout).toContain('It never fires');
  });
});

describe('orbit', () => {
  it('lists its commands with --help and explains one with <command> --help', () => {
    const overview = orbit('--help');
    const nextHelp = orbit('next', '--help');

    expect(overview.status).toBe(0);
    expect(overview.stdout).toMatch(/^ {2}next {2}Show the next fire times of a cron expression$/m);
    expect(nextHelp.status).toBe(0);
    expect(nextHelp.stdout).toMatch(/^Usage: orbit next "<expression>"/);
  });

  it('refuses an unknown command with a coded line and exit code 1', async () => {
    const run = await orbitInProcess('launch');

    expect(run.status).toBe(1);
    expect(run.stderr.trimEnd()).toBe(
      "orbit: INVALID_CONFIG: unknown command 'launch'; the commands are run, list, next. " +
        "Run 'orbit --help' for more.",
    );
  });
});
